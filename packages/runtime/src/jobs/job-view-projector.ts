import { CONSUMERS, decodeJobEvent, EVENT_HEADERS, JOBS_STREAM_NAME } from '@lacquer/contracts';
import { isLacquerError } from '@lacquer/errors';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { eventJob } from '../messaging/job-event-publisher.ts';
import { natsCall } from '../messaging/nats-call.ts';
import { PROJECTOR_CONSUMER_POLICY, provisionConsumer } from '../messaging/provision-streams.ts';
import { type RunningConsumer, startPullLoop } from '../messaging/pull-loop.ts';
import { retryDelayMs } from '../messaging/retry-delay.ts';
import type { JobReadModel } from '../read-model/job-read-model.ts';
import { evolveJobView } from './job-view.ts';

/**
 * Projects the event log into the read model: folds every job event into its job's view
 * with {@link evolveJobView}, in stream order (the projector consumer hands out one message
 * at a time), skipping events a view has already seen, so redeliveries and replays are
 * harmless. Retryable read-model failures are retried; an event that does not decode, or
 * that fails for good, is terminated and logged so that it does not hold up the others.
 */
export function startJobViewProjector(options: {
  readonly js: JetStreamClient;
  readonly readModel: JobReadModel;
  readonly log: Logger;
}): RunningConsumer {
  const log = options.log.child({ consumer: CONSUMERS.projector.durableName });
  return startPullLoop({ js: options.js, consumer: 'projector', log }, async (message) => {
    let event: ReturnType<typeof decodeJobEvent>;
    try {
      event = decodeJobEvent(message.headers?.get(EVENT_HEADERS.eventType) ?? '', message.data);
    } catch (error) {
      log.error({ err: error, seq: message.seq, subject: message.subject }, 'not a job event; skipped');
      message.term();
      return;
    }
    const { jobId, tenantId } = eventJob(event);
    try {
      await options.readModel.update(tenantId, jobId, (view) => evolveJobView(view, event, message.seq));
      await message.ackAck();
    } catch (error) {
      if (isLacquerError(error) && error.retryable) {
        const delayMs = retryDelayMs(message.info.deliveryCount, { baseMs: 500, maxMs: 30_000 });
        log.warn({ err: error, jobId, seq: message.seq, delayMs }, 'projection failed; will retry');
        message.nak(delayMs);
        return;
      }
      // A failure that will not pass (a defect, an event the view cannot hold) must not
      // hold up every other job's view behind it: log it and let it go.
      log.error({ err: error, jobId, seq: message.seq }, 'projection failed for good; event skipped');
      message.term();
    }
  });
}

/**
 * Rebuilds every job view from the event log: removes the views and the projector's
 * consumer, then creates the consumer again from the first event; running projectors
 * re-fold the whole stream. Idempotency claims are kept.
 */
export async function rebuildJobViews(jsm: JetStreamManager, readModel: JobReadModel): Promise<void> {
  await natsCall('delete the projector consumer', async () => {
    await jsm.consumers.delete(JOBS_STREAM_NAME, CONSUMERS.projector.durableName).catch((error: unknown) => {
      if ((error as { code?: number }).code !== 10014) throw error;
    });
  });
  await readModel.clearViews();
  await provisionConsumer(jsm, 'projector', PROJECTOR_CONSUMER_POLICY);
}
