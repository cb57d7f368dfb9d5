import { create } from '@bufbuild/protobuf';
import {
  decodeJobEvent,
  EVENT_HEADERS,
  type JobEvent,
  JobFailedSchema,
  JobStep,
  JobStepStartedSchema,
  jobEventContext,
  jobEventMessageId,
} from '@lacquer/contracts';
import { isLacquerError, LacquerError } from '@lacquer/errors';
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { JobOutcome, ServiceMetrics } from '../service/service-metrics.ts';
import type { JobEventPublisher } from './job-event-ports.ts';
import { eventJob } from './job-event-publisher.ts';
import { type PullLoopOptions, type RunningConsumer, startPullLoop } from './pull-loop.ts';
import { retryDelayMs } from './retry-delay.ts';
import { childTraceparent, traceIdOf } from './trace-context.ts';

/** One delivery of a job event to a handler. */
export interface JobEventDelivery {
  readonly event: JobEvent;
  readonly jobId: string;
  readonly tenantId: string;
  /** Stream sequence of the event. */
  readonly sequence: number;
  /** 1 on the first delivery, counting redeliveries. */
  readonly attempt: number;
  /** The trace context for what the handler publishes (a child of the event's). */
  readonly traceparent: string;
  /** A logger bound to the job id, trace id and stream sequence. */
  readonly log: Logger;
}

/**
 * Does a step's work for one event and publishes its result. Throw a LacquerError to fail:
 * retryable codes are redelivered after a backoff, the rest fail the job.
 */
export type JobEventHandler = (delivery: JobEventDelivery) => Promise<void>;

/** Options of {@link startJobEventConsumer}. */
export interface JobEventConsumerOptions extends PullLoopOptions {
  /** The step this consumer performs (named in JobStepStarted and JobFailed). */
  readonly step: JobStep;
  readonly publisher: JobEventPublisher;
  readonly handler: JobEventHandler;
  /** The consumer's `max_deliver`: the attempt that fails for good. */
  readonly maxDeliver: number;
  /** How often `working()` resets the ack timer while a handler runs, ms (default 10 000). */
  readonly heartbeatMs?: number;
  /** Delay before redelivering after failed attempt n (default {@link retryDelayMs}). */
  readonly retryDelayMs?: (attempt: number) => number;
  readonly metrics?: ServiceMetrics;
  readonly now?: () => Date;
}

/**
 * Runs a worker's step on its durable consumer (see {@link startPullLoop}). Around each
 * delivery it:
 * - publishes JobStepStarted (attempt n),
 * - calls `working()` every `heartbeatMs` while the handler runs,
 * - acks on success (waiting for the server's confirmation),
 * - on a retryable failure before the last attempt, `nak(delay)` with exponential backoff,
 * - otherwise publishes JobFailed with the error's code and `term()`s the message (with no
 *   reason: nats-server 2.9 redelivers a message terminated with one).
 * A message that is not a job event is terminated and logged; nothing stops the loop.
 */
export function startJobEventConsumer(options: JobEventConsumerOptions): RunningConsumer {
  const now = options.now ?? (() => new Date());
  return startPullLoop(options, (message) => handleMessage(message, options, now));
}

async function handleMessage(
  message: JsMsg,
  options: JobEventConsumerOptions,
  now: () => Date,
): Promise<void> {
  const type = message.headers?.get(EVENT_HEADERS.eventType) ?? '';
  let event: JobEvent;
  try {
    event = decodeJobEvent(type, message.data);
  } catch (error) {
    options.log.error(
      { err: error, subject: message.subject, seq: message.seq },
      'not a job event; terminated',
    );
    message.term();
    return;
  }
  const { jobId, tenantId } = eventJob(event);
  const attempt = message.info.deliveryCount;
  const traceparent = childTraceparent(message.headers?.get(EVENT_HEADERS.traceparent));
  const log = options.log.child({
    jobId,
    traceId: traceIdOf(traceparent),
    subject: message.subject,
    seq: message.seq,
    attempt,
  });
  const stepName = JobStep[options.step].toLowerCase();
  const started = performance.now();
  const heartbeat = setInterval(() => message.working(), options.heartbeatMs ?? 10_000);
  const observe = (outcome: JobOutcome): void => {
    options.metrics?.jobsProcessedTotal.inc({ outcome });
    options.metrics?.jobDurationSeconds.observe({ outcome }, (performance.now() - started) / 1000);
  };
  try {
    await options.publisher.publish(
      {
        type: 'JobStepStarted',
        data: create(JobStepStartedSchema, {
          context: jobEventContext(jobId, tenantId, now()),
          step: options.step,
          attempt,
        }),
      },
      { messageId: jobEventMessageId('JobStepStarted', jobId, `${stepName}:${attempt}`), traceparent },
    );
    log.info({ event: event.type }, `${stepName} started`);
    await options.handler({ event, jobId, tenantId, sequence: message.seq, attempt, traceparent, log });
    observe('succeeded');
    log.info({ seconds: (performance.now() - started) / 1000 }, `${stepName} done`);
    // The step is done and its events are published: a lost ack only means a redelivery,
    // whose publishes JetStream drops as duplicates. It is not a failure of the step.
    await message.ackAck().catch((error: unknown) => log.warn({ err: error }, 'ack not confirmed'));
  } catch (error) {
    const failure = isLacquerError(error)
      ? error
      : new LacquerError('INTERNAL_ERROR', (error as Error)?.message ?? String(error), { cause: error });
    const maxDeliver = options.maxDeliver;
    if (failure.retryable && attempt < maxDeliver) {
      const delayMs = (options.retryDelayMs ?? retryDelayMs)(attempt);
      log.warn({ err: failure, code: failure.code, delayMs }, `${stepName} failed; will retry`);
      message.nak(delayMs);
      observe('retried');
      return;
    }
    try {
      await options.publisher.publish(
        {
          type: 'JobFailed',
          data: create(JobFailedSchema, {
            context: jobEventContext(jobId, tenantId, now()),
            step: options.step,
            errorCode: failure.code,
            errorMessage: failure.message,
            attempts: attempt,
          }),
        },
        { traceparent },
      );
      message.term();
      observe('failed');
      log.error({ err: failure, code: failure.code }, `${stepName} failed; job failed`);
    } catch (publishError) {
      // The failure could not be recorded: hand the message back so it is not lost.
      log.error({ err: publishError }, 'could not publish JobFailed; will retry');
      message.nak((options.retryDelayMs ?? retryDelayMs)(attempt));
      observe('retried');
    }
  } finally {
    clearInterval(heartbeat);
  }
}
