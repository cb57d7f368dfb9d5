import {
  EVENT_HEADERS,
  encodeJobEvent,
  type JobEvent,
  jobEventMessageId,
  jobEventSubject,
} from '@lacquer/contracts';
import { JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '../telemetry/in-span.ts';
import { contextOfTraceparent, traceparentOf } from '../telemetry/trace-context.ts';
import type { JobEventPublisher } from './job-event-ports.ts';
import { natsCall } from './nats-call.ts';

/** JetStream's error for a publish whose `Nats-Expected-Last-Subject-Sequence` is not the last. */
const WRONG_LAST_SEQUENCE = 10071;

/** Identifies a job event's job and tenant (every event has a context). */
export function eventJob(event: JobEvent): { jobId: string; tenantId: string } {
  const context = event.data.context;
  return { jobId: context?.jobId ?? '', tenantId: context?.tenantId ?? '' };
}

/**
 * Publishes job events to JetStream: protobuf body, subject `lacquer.job.<event>.<jobId>`,
 * headers `Nats-Msg-Id` (deterministic: a repeat is dropped as a duplicate), `traceparent`,
 * `Lacquer-Event-Type` and `Lacquer-Tenant`. Waits for the stream's acknowledgement.
 * Each publish is a PRODUCER span `publish <event>`, a child of `options.traceparent`, and the
 * header carries that span's context, so the consumer's span hangs under it.
 *
 * @throws LacquerError `NATS_UNAVAILABLE` (retryable) when the stream does not acknowledge.
 */
export function createJobEventPublisher(js: JetStreamClient): JobEventPublisher {
  return {
    async publish(event, options = {}) {
      const { jobId, tenantId } = eventJob(event);
      const subject = jobEventSubject(event.type, jobId);
      const messageId = options.messageId ?? jobEventMessageId(event.type, jobId);
      const span = {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.destination.name': subject,
          'messaging.message.id': messageId,
          'lacquer.job.id': jobId,
        },
      };
      return inSpan(`publish ${event.type}`, span, contextOfTraceparent(options.traceparent), async () => {
        const head = headers();
        head.set(EVENT_HEADERS.eventType, event.type);
        head.set(EVENT_HEADERS.tenant, tenantId);
        const traceparent = traceparentOf() ?? options.traceparent;
        if (traceparent) head.set(EVENT_HEADERS.traceparent, traceparent);
        const expected = options.expectLastSubjectSequence;
        const ack = await natsCall(`publish ${event.type} of job ${jobId}`, async () => {
          try {
            return await js.publish(subject, encodeJobEvent(event), {
              msgID: messageId,
              headers: head,
              ...(expected === undefined ? {} : { expect: { lastSubjectSequence: expected } }),
            });
          } catch (error) {
            if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) return null;
            throw error;
          }
        });
        return ack ? { sequence: ack.seq, duplicate: ack.duplicate } : { sequence: 0, duplicate: true };
      });
    },
  };
}
