import { decodeJobEvent, EVENT_HEADERS, JOBS_STREAM_NAME, jobHistoryFilter } from '@lacquer/contracts';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { JobEventFeed } from './job-event-ports.ts';
import { natsCall } from './nats-call.ts';

/**
 * Follows one job's history with an ordered consumer on `lacquer.job.*.<jobId>`: the
 * stored events first, then new ones as they arrive. Messages that do not decode as job
 * events are skipped.
 */
export function createJobEventFeed(js: JetStreamClient): JobEventFeed {
  return {
    async *follow(jobId, signal) {
      const consumer = await natsCall(`follow job ${jobId}`, () =>
        js.consumers.get(JOBS_STREAM_NAME, { filter_subjects: jobHistoryFilter(jobId) }),
      );
      const messages = await natsCall(`follow job ${jobId}`, () => consumer.consume());
      const stop = (): void => void messages.stop();
      signal.addEventListener('abort', stop, { once: true });
      try {
        if (signal.aborted) return;
        for await (const message of messages) {
          let event: ReturnType<typeof decodeJobEvent>;
          try {
            event = decodeJobEvent(message.headers?.get(EVENT_HEADERS.eventType) ?? '', message.data);
          } catch {
            continue;
          }
          yield { event, sequence: message.seq };
        }
      } finally {
        signal.removeEventListener('abort', stop);
        await messages.close();
      }
    },
  };
}
