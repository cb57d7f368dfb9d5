import { create } from '@bufbuild/protobuf';
import {
  CONSUMERS,
  DeliveryTargetSchema,
  JOBS_STREAM_NAME,
  type JobEvent,
  JobRequestedSchema,
  JobStep,
  jobEventContext,
  jobEventSubject,
  TrackAnalyzedSchema,
} from '@lacquer/contracts';
import { LacquerError } from '@lacquer/errors';
import { type NatsServer, startNatsServer, waitFor } from '@lacquer/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectNats } from './connect-nats.ts';
import { createJobEventFeed } from './jetstream-job-event-feed.ts';
import { type JobEventDelivery, type JobEventHandler, startJobEventConsumer } from './job-event-consumer.ts';
import { createJobEventPublisher } from './job-event-publisher.ts';
import { provisionConsumer, provisionJobsStream } from './provision-streams.ts';
import type { RunningConsumer } from './pull-loop.ts';
import { isStepOutputPublished, publishStepOutput } from './step-outputs.ts';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const POLICY = { ackWaitMs: 1000, maxDeliver: 3, maxAckPending: 100 };

let nats: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let running: RunningConsumer | null = null;
let jobCounter = 0;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectNats(nats.url, 'consumer-test');
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.close();
});
beforeEach(async () => {
  await provisionJobsStream(jsm);
  await provisionConsumer(jsm, 'analyzer', POLICY);
});
afterEach(async () => {
  await running?.stop();
  running = null;
  await jsm.streams.delete(JOBS_STREAM_NAME);
});

function requested(jobId: string): JobEvent {
  return {
    type: 'JobRequested',
    data: create(JobRequestedSchema, {
      context: jobEventContext(jobId, 'tenant-a', new Date('2026-11-21T12:00:00Z')),
      inputObjectKey: `tenants/tenant-a/uploads/${jobId}`,
      target: create(DeliveryTargetSchema, {
        preset: 'spotify',
        integratedLoudnessLufs: -14,
        truePeakCeilingDbtp: -1,
      }),
    }),
  };
}

function analyzed(jobId: string): JobEvent {
  return {
    type: 'TrackAnalyzed',
    data: create(TrackAnalyzedSchema, {
      context: jobEventContext(jobId, 'tenant-a', new Date('2026-11-21T12:00:01Z')),
    }),
  };
}

const newJobId = (): string => `job-${++jobCounter}-${Date.now()}`;

/** Every event of one job in the stream so far. */
async function events(jobId: string): Promise<JobEvent[]> {
  const controller = new AbortController();
  const seen: JobEvent[] = [];
  const { state } = await jsm.streams.info(JOBS_STREAM_NAME);
  for await (const { event, sequence } of createJobEventFeed(js).follow(jobId, controller.signal)) {
    seen.push(event);
    if (sequence >= state.last_seq) break;
  }
  controller.abort();
  return seen;
}

/** Every event of one job in the stream, as `type` or `type:attempt` for step starts. */
async function history(jobId: string): Promise<string[]> {
  return (await events(jobId)).map((event) =>
    event.type === 'JobStepStarted' ? `${event.type}:${event.data.attempt}` : event.type,
  );
}

function consume(
  handler: JobEventHandler,
  options: { heartbeatMs?: number; stepTimeoutMs?: number } = {},
): void {
  running = startJobEventConsumer({
    js,
    jsm,
    consumer: 'analyzer',
    step: JobStep.ANALYZE,
    publisher: createJobEventPublisher(js),
    handler,
    maxDeliver: POLICY.maxDeliver,
    retryDelayMs: () => 50,
    pullExpiresMs: 1000,
    log,
    ...options,
  });
}

async function consumerIdle(): Promise<void> {
  await waitFor(
    async () => {
      const info = await jsm.consumers.info(JOBS_STREAM_NAME, CONSUMERS.analyzer.durableName);
      return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
    },
    { what: 'the consumer to have nothing pending' },
  );
}

describe('startJobEventConsumer', () => {
  it('hands the typed event to the handler, records the step start, and acks', async () => {
    const jobId = newJobId();
    const deliveries: JobEventDelivery[] = [];
    consume(async (delivery) => {
      deliveries.push(delivery);
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (deliveries.length === 1 ? true : undefined), { what: 'one delivery' });
    await consumerIdle();
    expect(deliveries[0]?.event.type).toBe('JobRequested');
    expect([deliveries[0]?.jobId, deliveries[0]?.tenantId, deliveries[0]?.attempt]).toEqual([
      jobId,
      'tenant-a',
      1,
    ]);
    expect(await history(jobId)).toEqual(['JobRequested', 'JobStepStarted:1']);
  });

  it('retries a retryable failure with nak(delay), then succeeds', async () => {
    const jobId = newJobId();
    const attempts: number[] = [];
    consume(async ({ attempt }) => {
      attempts.push(attempt);
      if (attempt === 1) throw new LacquerError('BLOB_UNAVAILABLE', 'disk hiccup');
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (attempts.length === 2 ? true : undefined), { what: 'a redelivery' });
    await consumerIdle();
    expect(attempts).toEqual([1, 2]);
    expect(await history(jobId)).toEqual([
      'JobRequested',
      'JobStepStarted:1',
      'JobStepAttemptFailed',
      'JobStepStarted:2',
    ]);
    const failedAttempt = (await events(jobId)).find((event) => event.type === 'JobStepAttemptFailed');
    expect(
      failedAttempt?.type === 'JobStepAttemptFailed' && [
        failedAttempt.data.errorCode,
        failedAttempt.data.attempt,
        failedAttempt.data.retryDelayMs,
      ],
    ).toEqual(['BLOB_UNAVAILABLE', 1, 50]);
  });

  it('acks a redelivered event whose outputs are already in the log, without work or new events', async () => {
    const jobId = newJobId();
    const attempts: number[] = [];
    consume(async ({ attempt, publish }) => {
      attempts.push(attempt);
      await publish(analyzed(jobId));
      // The worker "dies" after publishing and before acking: the event comes back.
      if (attempt === 1) throw new LacquerError('NATS_UNAVAILABLE', 'connection lost before the ack');
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (attempts.length === 1 ? true : undefined), { what: 'the first delivery' });
    await consumerIdle();
    expect(attempts).toEqual([1]);
    expect(await history(jobId)).toEqual([
      'JobRequested',
      'JobStepStarted:1',
      'TrackAnalyzed',
      'JobStepAttemptFailed',
    ]);
  });

  it('fails a step that runs past its timeout with STEP_TIMED_OUT, after every delivery', async () => {
    const jobId = newJobId();
    const aborted: unknown[] = [];
    consume(
      ({ signal }) =>
        new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(signal.reason);
            reject(signal.reason);
          });
        }),
      { stepTimeoutMs: 200 },
    );
    await createJobEventPublisher(js).publish(requested(jobId));
    await consumerIdle();
    const failed = (await events(jobId)).find((event) => event.type === 'JobFailed');
    expect(failed?.type === 'JobFailed' && [failed.data.errorCode, failed.data.attempts]).toEqual([
      'STEP_TIMED_OUT',
      POLICY.maxDeliver,
    ]);
    expect(aborted).toHaveLength(POLICY.maxDeliver);
  });

  it('on stop past the grace period, aborts the handler and hands the event back at once', async () => {
    await provisionConsumer(jsm, 'analyzer', { ...POLICY, ackWaitMs: 60_000 });
    const jobId = newJobId();
    const attempts: number[] = [];
    consume(
      ({ attempt, signal }) =>
        new Promise<void>((resolve, reject) => {
          attempts.push(attempt);
          if (attempt > 1) return resolve();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    );
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (attempts.length === 1 ? true : undefined), { what: 'the first delivery' });
    const stopping = performance.now();
    await running?.stop({ graceMs: 300 });
    expect(performance.now() - stopping).toBeLessThan(2000);
    consume(async ({ attempt }) => {
      attempts.push(attempt);
    });
    // Well inside the 60 s ack wait: the event was handed back, not left to time out.
    await waitFor(() => (attempts.length === 2 ? true : undefined), {
      what: 'the redelivery',
      timeoutMs: 10_000,
    });
    await consumerIdle();
    expect(attempts).toEqual([1, 2]);
    expect(await history(jobId)).toEqual(['JobRequested', 'JobStepStarted:1', 'JobStepStarted:2']);
  });

  it('fails the job with the code of a non-retryable error and terminates the message', async () => {
    const jobId = newJobId();
    let calls = 0;
    consume(async () => {
      calls++;
      throw new LacquerError('MEDIA_DECODE_FAILED', 'truncated');
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await consumerIdle();
    const events = await history(jobId);
    expect(events).toEqual(['JobRequested', 'JobStepStarted:1', 'JobFailed']);
    expect(calls).toBe(1);
  });

  it('fails the job after max_deliver attempts of a retryable error, with the attempts counted', async () => {
    const jobId = newJobId();
    const failures: JobEvent[] = [];
    consume(async () => {
      throw new Error('a defect');
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await consumerIdle();
    const controller = new AbortController();
    for await (const { event } of createJobEventFeed(js).follow(jobId, controller.signal)) {
      if (event.type === 'JobFailed') {
        failures.push(event);
        break;
      }
    }
    controller.abort();
    const failed = failures[0];
    expect(
      failed?.type === 'JobFailed' && [failed.data.errorCode, failed.data.attempts, failed.data.step],
    ).toEqual(['INTERNAL_ERROR', POLICY.maxDeliver, JobStep.ANALYZE]);
  });

  it('keeps a long delivery with working() past ack_wait, so it is not redelivered', async () => {
    const jobId = newJobId();
    const attempts: number[] = [];
    consume(
      async ({ attempt }) => {
        attempts.push(attempt);
        await new Promise((resolve) => setTimeout(resolve, POLICY.ackWaitMs * 2.5));
      },
      { heartbeatMs: 300 },
    );
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (attempts.length > 0 ? true : undefined));
    await consumerIdle();
    expect(attempts).toEqual([1]);
  });

  it('terminates a message that is not a job event and goes on with the next', async () => {
    const jobId = newJobId();
    const handled: string[] = [];
    consume(async ({ jobId: id }) => {
      handled.push(id);
    });
    await js.publish(jobEventSubject('JobRequested', 'garbage'), new TextEncoder().encode('not protobuf'));
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (handled.length === 1 ? true : undefined), { what: 'the good event' });
    await consumerIdle();
    expect(handled).toEqual([jobId]);
  });
});

describe('publishStepOutput', () => {
  it('publishes an output once per input event, even with another message id (past the dedup window)', async () => {
    const jobId = newJobId();
    const publisher = createJobEventPublisher(js);
    const { sequence } = await publisher.publish(requested(jobId));
    const input = { jobId, sequence };
    expect(await publishStepOutput({ jsm, publisher }, input, analyzed(jobId))).toBe(true);
    expect(await publishStepOutput({ jsm, publisher }, input, analyzed(jobId))).toBe(false);
    // What a window-less retry would do: a new message id, guarded by the subject's last sequence.
    const racing = await publisher.publish(analyzed(jobId), {
      messageId: 'elsewhere',
      expectLastSubjectSequence: 0,
    });
    expect(racing).toEqual({ sequence: 0, duplicate: true });
    expect(await isStepOutputPublished(jsm, input, 'TrackAnalyzed')).toBe(true);
    expect(await isStepOutputPublished(jsm, { jobId, sequence: sequence + 10 }, 'TrackAnalyzed')).toBe(false);
    expect(await history(jobId)).toEqual(['JobRequested', 'TrackAnalyzed']);
  });
});

describe('createJobEventPublisher', () => {
  it('drops a second publish of the same fact as a duplicate (Nats-Msg-Id)', async () => {
    const jobId = newJobId();
    const publisher = createJobEventPublisher(js);
    const first = await publisher.publish(requested(jobId));
    const second = await publisher.publish(requested(jobId));
    expect([first.duplicate, second.duplicate, second.sequence]).toEqual([false, true, first.sequence]);
    const info = await jsm.streams.info(JOBS_STREAM_NAME);
    expect(info.state.messages).toBe(1);
  });
});
