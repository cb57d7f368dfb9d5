import {
  JOBS_STREAM_NAME,
  type JobEvent,
  type JobEventType,
  jobEventMessageId,
  jobEventSubject,
} from '@lacquer/contracts';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { JobEventPublisher } from './job-event-ports.ts';
import { eventJob } from './job-event-publisher.ts';
import { natsCall } from './nats-call.ts';

/** The stream sequence of the last JOBS message on `subject`; 0 when there is none. */
export async function lastSequenceOn(jsm: JetStreamManager, subject: string): Promise<number> {
  const stored = await natsCall(`read the last message on ${subject}`, () =>
    jsm.streams.getMessage(JOBS_STREAM_NAME, { last_by_subj: subject }),
  );
  return stored?.seq ?? 0;
}

/** The event a step is handling: which job, and where it is in the log. */
export interface StepInput {
  readonly jobId: string;
  /** Stream sequence of the input event. */
  readonly sequence: number;
}

/**
 * Whether the step that handles `input` already published its output `type`: an output
 * comes after its input in the log, so a message on the output's subject past the input's
 * sequence means this input's work was done (a retried step's new input comes after the old
 * outputs, so they do not count).
 *
 * @throws LacquerError `NATS_UNAVAILABLE` (retryable) when JetStream does not answer.
 */
export async function isStepOutputPublished(
  jsm: JetStreamManager,
  input: StepInput,
  type: JobEventType,
): Promise<boolean> {
  return (await lastSequenceOn(jsm, jobEventSubject(type, input.jobId))) > input.sequence;
}

/**
 * Publishes `event`, an output of the step that handles `input`, at most once per input,
 * with or without the de-duplication window: it reads the last message on the event's
 * subject and publishes with `Nats-Expected-Last-Subject-Sequence` set to it, so of two
 * deliveries racing (a redelivery while a slow first attempt still runs) only one is stored.
 * The message id, `<jobId>:<event>:<input sequence>`, is deterministic as well.
 *
 * @returns `true` when this call stored the event, `false` when it was already there.
 * @throws LacquerError `NATS_UNAVAILABLE` (retryable) when JetStream does not answer.
 */
export async function publishStepOutput(
  ports: { readonly jsm: JetStreamManager; readonly publisher: JobEventPublisher },
  input: StepInput,
  event: JobEvent,
  traceparent?: string,
): Promise<boolean> {
  const { jobId } = eventJob(event);
  const last = await lastSequenceOn(ports.jsm, jobEventSubject(event.type, jobId));
  if (last > input.sequence) return false;
  const { duplicate } = await ports.publisher.publish(event, {
    messageId: jobEventMessageId(event.type, jobId, String(input.sequence)),
    expectLastSubjectSequence: last,
    ...(traceparent ? { traceparent } : {}),
  });
  return !duplicate;
}
