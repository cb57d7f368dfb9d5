import {
  CONSUMERS,
  type ConsumerName,
  DEAD_LETTERS_STREAM_NAME,
  DEAD_LETTERS_STREAM_SUBJECTS,
  JOBS_STREAM_NAME,
  JOBS_STREAM_SUBJECTS,
} from '@lacquer/contracts';
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { natsCall } from './nats-call.ts';

/** How a durable consumer redelivers (JetStream consumer settings). */
export interface ConsumerPolicy {
  /** Time a delivery may stay unacknowledged before redelivery, ms; `working()` resets it. */
  readonly ackWaitMs: number;
  /** Deliveries of one message before JetStream gives up on it (then a MAX_DELIVERIES advisory); -1: no limit. */
  readonly maxDeliver: number;
  /** Unacknowledged messages the consumer hands out at once, over all replicas. */
  readonly maxAckPending: number;
}

/**
 * Worker consumers: 30 s to ack (workers heartbeat every third of it), 5 deliveries. A
 * worker killed mid-step hands its message back when the ack wait runs out.
 */
export const WORKER_CONSUMER_POLICY: ConsumerPolicy = {
  ackWaitMs: 30_000,
  maxDeliver: 5,
  maxAckPending: 1000,
};

/** The reaper folds dead letters one at a time and never gives up on one (as the projector). */
export const REAPER_CONSUMER_POLICY: ConsumerPolicy = {
  ackWaitMs: 30_000,
  maxDeliver: -1,
  maxAckPending: 1,
};

/**
 * The projector folds events one at a time, in stream order, so each job's view sees them in
 * order; it never gives up on an event (`maxDeliver` -1: unlimited), since a dropped event
 * would leave a view behind for good while the read model is down.
 */
export const PROJECTOR_CONSUMER_POLICY: ConsumerPolicy = {
  ackWaitMs: 30_000,
  maxDeliver: -1,
  maxAckPending: 1,
};

/** JetStream's de-duplication window for `Nats-Msg-Id`, ms. */
export const DUPLICATE_WINDOW_MS = 120_000;

/**
 * Creates the JOBS stream (file storage, limits retention: the event log is kept) or brings
 * an existing one to this configuration. Safe to call from every replica at every start.
 *
 * @throws LacquerError `NATS_UNAVAILABLE` when JetStream does not answer.
 */
export async function provisionJobsStream(
  jsm: JetStreamManager,
  options: { replicas?: number } = {},
): Promise<void> {
  await provisionStream(jsm, {
    name: JOBS_STREAM_NAME,
    subjects: [...JOBS_STREAM_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: options.replicas ?? 1,
  });
}

/** How long a dead letter is kept, ms: 30 days, long enough for an operator to look. */
export const DEAD_LETTER_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * Creates the DEAD_LETTERS stream, which captures JetStream's MAX_DELIVERIES and
 * MSG_TERMINATED advisories for JOBS (file storage, kept {@link DEAD_LETTER_MAX_AGE_MS}), or
 * brings an existing one to this configuration. Safe to call from every replica at every start.
 *
 * @throws LacquerError `NATS_UNAVAILABLE` when JetStream does not answer.
 */
export async function provisionDeadLetterStream(
  jsm: JetStreamManager,
  options: { replicas?: number } = {},
): Promise<void> {
  await provisionStream(jsm, {
    name: DEAD_LETTERS_STREAM_NAME,
    subjects: [...DEAD_LETTERS_STREAM_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(DEAD_LETTER_MAX_AGE_MS),
    num_replicas: options.replicas ?? 1,
  });
}

async function provisionStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string; storage: StorageType; retention: RetentionPolicy },
): Promise<void> {
  await natsCall(`provision the ${config.name} stream`, async () => {
    try {
      await jsm.streams.info(config.name);
      const { storage: _storage, retention: _retention, ...mutable } = config;
      await jsm.streams.update(config.name, mutable);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== 10059) throw error;
      await jsm.streams.add(config);
    }
  });
}

/**
 * Creates the durable pull consumer of `name` (see `CONSUMERS`) or updates it to `policy`.
 * Idempotent; every replica of a service shares the one consumer.
 *
 * @throws LacquerError `NATS_UNAVAILABLE` when JetStream does not answer.
 */
export async function provisionConsumer(
  jsm: JetStreamManager,
  name: ConsumerName,
  policy: ConsumerPolicy,
): Promise<void> {
  const spec = CONSUMERS[name];
  const config: Partial<ConsumerConfig> = {
    durable_name: spec.durableName,
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(policy.ackWaitMs),
    max_deliver: policy.maxDeliver,
    max_ack_pending: policy.maxAckPending,
  };
  await natsCall(`provision the ${spec.durableName} consumer`, async () => {
    try {
      await jsm.consumers.info(spec.stream, spec.durableName);
      await jsm.consumers.update(spec.stream, spec.durableName, {
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
        max_ack_pending: config.max_ack_pending,
      });
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== 10014) throw error;
      await jsm.consumers.add(spec.stream, config);
    }
  });
}
