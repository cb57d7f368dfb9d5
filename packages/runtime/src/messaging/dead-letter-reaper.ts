import { create } from '@bufbuild/protobuf';
import {
  decodeJobEvent,
  EVENT_HEADERS,
  JOBS_STREAM_NAME,
  type JobEvent,
  JobFailedSchema,
  JobStep,
  jobEventContext,
  jobEventSubject,
  type PipelineStep,
  pipelineStepOfConsumer,
} from '@lacquer/contracts';
import type { ErrorCode } from '@lacquer/errors';
import { isLacquerError } from '@lacquer/errors';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { JobEventPublisher } from './job-event-ports.ts';
import { eventJob } from './job-event-publisher.ts';
import { natsCall } from './nats-call.ts';
import { type RunningConsumer, startPullLoop } from './pull-loop.ts';
import { retryDelayMs } from './retry-delay.ts';
import { isStepOutputPublished, publishStepOutput, type StepInput } from './step-outputs.ts';

/**
 * A JetStream advisory for a JOBS message that will not be delivered again
 * (`io.nats.jetstream.advisory.v1.max_deliver` or `….terminated`), as captured in DEAD_LETTERS.
 */
export interface DeadLetterAdvisory {
  readonly type: string;
  readonly stream: string;
  readonly consumer: string;
  /** Sequence of the dead message in its stream. */
  readonly stream_seq: number;
  /** Times it was delivered. */
  readonly deliveries: number;
}

/** What the reaper did with one advisory. */
export type ReapOutcome = 'job-failed' | 'already-recorded' | 'not-a-pipeline-step' | 'message-gone';

/** Dependencies of the reaper. */
export interface DeadLetterReaperOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly publisher: JobEventPublisher;
  readonly log: Logger;
  readonly now?: () => Date;
}

/**
 * Runs the dead-letter reaper on the DEAD_LETTERS stream's durable consumer (one per
 * deployment, shared by replicas): each advisory about a pipeline step's event becomes that
 * job's JobFailed — unless the worker recorded the failure itself (the usual `term()` after
 * JobFailed), so a job fails once. Advisories of other consumers (the projector) are logged
 * and acknowledged. Retryable failures (NATS) are retried with backoff; nothing is dropped.
 */
export function startDeadLetterReaper(options: DeadLetterReaperOptions): RunningConsumer {
  const log = options.log.child({ consumer: 'reaper' });
  return startPullLoop({ js: options.js, consumer: 'reaper', log }, async (message) => {
    try {
      const advisory = parseAdvisory(message);
      const outcome = advisory ? await reapDeadLetter(advisory, options) : 'not-a-pipeline-step';
      log.info({ advisory, outcome }, 'dead letter reaped');
      await message.ackAck();
    } catch (error) {
      if (isLacquerError(error) && error.retryable) {
        const delayMs = retryDelayMs(message.info.deliveryCount, { baseMs: 500, maxMs: 30_000 });
        log.warn({ err: error, seq: message.seq, delayMs }, 'reaping failed; will retry');
        message.nak(delayMs);
        return;
      }
      log.error({ err: error, seq: message.seq }, 'reaping failed for good; advisory skipped');
      message.term();
    }
  });
}

/**
 * Turns one advisory into a JobFailed when it is about a pipeline step whose failure is not in
 * the log yet. The code is the last recorded error's when the final attempt recorded one (the
 * worker could not publish JobFailed); `STEP_ATTEMPTS_EXHAUSTED` when deliveries ran out
 * without one (the worker died each time); `STEP_TERMINATED` for a termination without a
 * JobFailed. Idempotent: reaping the same advisory twice publishes one JobFailed.
 *
 * @throws LacquerError `NATS_UNAVAILABLE` (retryable) when JetStream does not answer.
 */
export async function reapDeadLetter(
  advisory: DeadLetterAdvisory,
  options: Pick<DeadLetterReaperOptions, 'jsm' | 'publisher' | 'now'>,
): Promise<ReapOutcome> {
  const step = pipelineStepOfConsumer(advisory.consumer);
  if (advisory.stream !== JOBS_STREAM_NAME || !step) return 'not-a-pipeline-step';
  const stored = await natsCall(`read JOBS message ${advisory.stream_seq}`, () =>
    options.jsm.streams.getMessage(JOBS_STREAM_NAME, { seq: advisory.stream_seq }),
  );
  const event = stored ? decodeOrNull(stored.header.get(EVENT_HEADERS.eventType), stored.data) : null;
  if (!(stored && event)) return 'message-gone';
  const { jobId, tenantId } = eventJob(event);
  const input: StepInput = { jobId, sequence: advisory.stream_seq };
  if (await isStepOutputPublished(options.jsm, input, 'JobFailed')) return 'already-recorded';
  const failure = await failureOf(advisory, step, input, options.jsm);
  const now = options.now ?? (() => new Date());
  const published = await publishStepOutput(
    options,
    input,
    {
      type: 'JobFailed',
      data: create(JobFailedSchema, {
        context: jobEventContext(jobId, tenantId, now()),
        step: step.step,
        errorCode: failure.code,
        errorMessage: failure.message,
        attempts: advisory.deliveries,
      }),
    },
    stored.header.get(EVENT_HEADERS.traceparent) || undefined,
  );
  return published ? 'job-failed' : 'already-recorded';
}

async function failureOf(
  advisory: DeadLetterAdvisory,
  step: PipelineStep,
  input: StepInput,
  jsm: JetStreamManager,
): Promise<{ code: ErrorCode | string; message: string }> {
  const stepName = JobStep[step.step].toLowerCase();
  if (!advisory.type.endsWith('max_deliver')) {
    return {
      code: 'STEP_TERMINATED',
      message: `the ${stepName} step's event was terminated without a recorded failure`,
    };
  }
  const last = await lastAttemptFailure(jsm, input);
  if (last && last.attempt >= advisory.deliveries)
    return { code: last.errorCode, message: last.errorMessage };
  const lastError = last
    ? ` (last recorded error, attempt ${last.attempt}: ${last.errorCode}: ${last.errorMessage})`
    : '';
  return {
    code: 'STEP_ATTEMPTS_EXHAUSTED',
    message: `the ${stepName} step was delivered ${advisory.deliveries} times and never finished: its worker stopped each time${lastError}`,
  };
}

/** The last JobStepAttemptFailed recorded for `input`, if any. */
async function lastAttemptFailure(jsm: JetStreamManager, input: StepInput) {
  const stored = await natsCall(`read the last failed attempt of job ${input.jobId}`, () =>
    jsm.streams.getMessage(JOBS_STREAM_NAME, {
      last_by_subj: jobEventSubject('JobStepAttemptFailed', input.jobId),
    }),
  );
  if (!stored || stored.seq < input.sequence) return null;
  const event = decodeOrNull('JobStepAttemptFailed', stored.data);
  return event?.type === 'JobStepAttemptFailed' ? event.data : null;
}

function decodeOrNull(type: string, body: Uint8Array): JobEvent | null {
  try {
    return decodeJobEvent(type, body);
  } catch {
    return null;
  }
}

function parseAdvisory(message: JsMsg): DeadLetterAdvisory | null {
  try {
    const advisory = message.json<DeadLetterAdvisory>();
    return typeof advisory.stream_seq === 'number' && typeof advisory.consumer === 'string' ? advisory : null;
  } catch {
    return null;
  }
}
