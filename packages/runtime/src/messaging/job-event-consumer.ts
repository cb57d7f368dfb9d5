import { create } from '@bufbuild/protobuf';
import {
  CONSUMERS,
  decodeJobEvent,
  EVENT_HEADERS,
  type JobEvent,
  type JobEventType,
  JobFailedSchema,
  JobStep,
  JobStepAttemptFailedSchema,
  JobStepStartedSchema,
  jobEventContext,
  jobEventMessageId,
  pipelineStep,
} from '@lacquer/contracts';
import { isLacquerError, LacquerError } from '@lacquer/errors';
import type { JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { type Span, SpanKind } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { JobOutcome, ServiceMetrics } from '../service/service-metrics.ts';
import { inSpan, markFailed } from '../telemetry/in-span.ts';
import { contextOfTraceparent, traceparentOf } from '../telemetry/trace-context.ts';
import type { JobEventPublisher } from './job-event-ports.ts';
import { eventJob } from './job-event-publisher.ts';
import { type PullLoopOptions, type RunningConsumer, startPullLoop } from './pull-loop.ts';
import { retryDelayMs } from './retry-delay.ts';
import { isStepOutputPublished, publishStepOutput, type StepInput } from './step-outputs.ts';

/** One delivery of a job event to a handler. */
export interface JobEventDelivery {
  readonly event: JobEvent;
  readonly jobId: string;
  readonly tenantId: string;
  /** Stream sequence of the event. */
  readonly sequence: number;
  /** 1 on the first delivery, counting redeliveries. */
  readonly attempt: number;
  /** The trace context of this delivery's span, for what the handler publishes (a child of the event's). */
  readonly traceparent: string | undefined;
  /** A logger bound to the job id and stream sequence (and, inside the span, the trace id). */
  readonly log: Logger;
  /** Aborts when the step times out or the worker shuts down past its grace: stop and throw. */
  readonly signal: AbortSignal;
  /**
   * Publishes one of the step's outputs, once per input event however often it is delivered
   * (see `publishStepOutput`). @returns `false` when it was already published.
   */
  publish(event: JobEvent): Promise<boolean>;
  /** Whether an earlier delivery of this event already published the output `type`. */
  isPublished(type: JobEventType): Promise<boolean>;
}

/**
 * Does a step's work for one event and publishes its outputs with `delivery.publish`. Throw
 * a LacquerError to fail: retryable codes are redelivered after a backoff, the rest fail the
 * job. Must be deterministic: a redelivery writes the same artifact bytes.
 */
export type JobEventHandler = (delivery: JobEventDelivery) => Promise<void>;

/** Options of {@link startJobEventConsumer}. */
export interface JobEventConsumerOptions extends PullLoopOptions {
  /** The pipeline step this consumer performs (its outputs, and the step named in events). */
  readonly step: JobStep;
  readonly jsm: JetStreamManager;
  readonly publisher: JobEventPublisher;
  readonly handler: JobEventHandler;
  /** The consumer's `max_deliver`: the attempt that fails for good. */
  readonly maxDeliver: number;
  /** How often `working()` resets the ack timer while a handler runs, ms (default 10 000). */
  readonly heartbeatMs?: number;
  /** Longest a handler may run, ms (default 15 min); then it fails with `STEP_TIMED_OUT`. */
  readonly stepTimeoutMs?: number;
  /** Delay before redelivering after failed attempt n (default {@link retryDelayMs}). */
  readonly retryDelayMs?: (attempt: number) => number;
  readonly metrics?: ServiceMetrics;
  readonly now?: () => Date;
}

const DEFAULT_STEP_TIMEOUT_MS = 15 * 60_000;

/**
 * Runs a worker's step on its durable consumer (see {@link startPullLoop}), so that each
 * input event has its effects once. Around each delivery it:
 * - acks at once, doing nothing, when the step's outputs for this event are already in the
 *   log (a redelivery after a worker died between publishing and acking);
 * - publishes JobStepStarted (attempt n) and calls `working()` every `heartbeatMs`;
 * - acks on success (waiting for the server's confirmation);
 * - on a retryable failure before the last attempt, publishes JobStepAttemptFailed and
 *   `nak(delay)`s with exponential backoff and jitter;
 * - otherwise publishes JobFailed with the error's code (once per input event) and `term()`s
 *   the message (with no reason: nats-server 2.9 redelivers a message terminated with one);
 * - when the worker stops past its grace period, hands the message back (`nak`).
 * A message that is not a job event is terminated and logged; nothing stops the loop. What
 * escapes all of this (a worker killed on every delivery) the dead-letter reaper catches.
 */
export function startJobEventConsumer(options: JobEventConsumerOptions): RunningConsumer {
  const now = options.now ?? (() => new Date());
  return startPullLoop(options, (message, shutdown) => handleMessage(message, shutdown, options, now));
}

async function handleMessage(
  message: JsMsg,
  shutdown: AbortSignal,
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
  const { jobId } = eventJob(event);
  const stepName = JobStep[options.step].toLowerCase();
  const span = {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': message.subject,
      'messaging.consumer.group.name': CONSUMERS[options.consumer].durableName,
      'lacquer.job.id': jobId,
      'lacquer.step': stepName,
      'lacquer.attempt': message.info.deliveryCount,
    },
  };
  const parent = contextOfTraceparent(message.headers?.get(EVENT_HEADERS.traceparent));
  await inSpan(`${stepName} ${event.type}`, span, parent, (active) =>
    handleDelivery(message, event, active, shutdown, options, now),
  );
}

/** One delivery of a decoded job event, inside its CONSUMER span `active`. */
async function handleDelivery(
  message: JsMsg,
  event: JobEvent,
  active: Span,
  shutdown: AbortSignal,
  options: JobEventConsumerOptions,
  now: () => Date,
): Promise<void> {
  const { jobId, tenantId } = eventJob(event);
  const input: StepInput = { jobId, sequence: message.seq };
  const attempt = message.info.deliveryCount;
  const traceparent = traceparentOf();
  const log = options.log.child({ jobId, subject: message.subject, seq: message.seq, attempt });
  const stepName = JobStep[options.step].toLowerCase();
  const ports = { jsm: options.jsm, publisher: options.publisher };
  const started = performance.now();
  const heartbeat = setInterval(() => message.working(), options.heartbeatMs ?? 10_000);
  const stepTimeout = new AbortController();
  const timer = setTimeout(
    () => stepTimeout.abort(new LacquerError('STEP_TIMED_OUT', `the ${stepName} step ran out of time`)),
    options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
  );
  const signal = AbortSignal.any([shutdown, stepTimeout.signal]);
  const observe = (outcome: JobOutcome): void => {
    active.setAttribute('lacquer.outcome', outcome);
    options.metrics?.jobsProcessedTotal.inc({ outcome });
    options.metrics?.jobDurationSeconds.observe({ outcome }, (performance.now() - started) / 1000);
  };
  const context = () => jobEventContext(jobId, tenantId, now());
  try {
    if (await allOutputsPublished(options, input)) {
      log.info(`${stepName} already done for this event; acked without work`);
      await message.ackAck();
      observe('skipped');
      return;
    }
    await options.publisher.publish(
      {
        type: 'JobStepStarted',
        data: create(JobStepStartedSchema, { context: context(), step: options.step, attempt }),
      },
      { messageId: jobEventMessageId('JobStepStarted', jobId, `${message.seq}:${attempt}`), traceparent },
    );
    log.info({ event: event.type }, `${stepName} started`);
    await Promise.race([
      options.handler({
        event,
        jobId,
        tenantId,
        sequence: message.seq,
        attempt,
        traceparent,
        log,
        signal,
        publish: (output) => publishStepOutput(ports, input, output, traceparent),
        isPublished: (outputType) => isStepOutputPublished(options.jsm, input, outputType),
      }),
      rejectOnAbort(signal),
    ]);
    observe('succeeded');
    log.info({ seconds: (performance.now() - started) / 1000 }, `${stepName} done`);
    // The step is done and its events are published: a lost ack only means a redelivery,
    // which finds the outputs in the log and does nothing. It is not a failure of the step.
    await message.ackAck().catch((error: unknown) => log.warn({ err: error }, 'ack not confirmed'));
  } catch (error) {
    if (shutdown.aborted) {
      log.warn(`${stepName} interrupted by shutdown; handed back`);
      message.nak();
      observe('handed_back');
      return;
    }
    const failure = isLacquerError(error)
      ? error
      : new LacquerError('INTERNAL_ERROR', (error as Error)?.message ?? String(error), { cause: error });
    markFailed(active, failure);
    const failed = {
      context: context(),
      step: options.step,
      errorCode: failure.code,
      errorMessage: failure.message,
    };
    const delayMs = (options.retryDelayMs ?? retryDelayMs)(attempt);
    if (failure.retryable && attempt < options.maxDeliver) {
      log.warn({ err: failure, code: failure.code, delayMs }, `${stepName} failed; will retry`);
      await options.publisher
        .publish(
          {
            type: 'JobStepAttemptFailed',
            data: create(JobStepAttemptFailedSchema, { ...failed, attempt, retryDelayMs: delayMs }),
          },
          {
            messageId: jobEventMessageId('JobStepAttemptFailed', jobId, `${message.seq}:${attempt}`),
            traceparent,
          },
        )
        .catch((publishError: unknown) =>
          log.warn({ err: publishError }, 'could not record the failed attempt'),
        );
      message.nak(delayMs);
      observe('retried');
      return;
    }
    try {
      await publishStepOutput(
        ports,
        input,
        { type: 'JobFailed', data: create(JobFailedSchema, { ...failed, attempts: attempt }) },
        traceparent,
      );
      message.term();
      observe('failed');
      log.error({ err: failure, code: failure.code }, `${stepName} failed; job failed`);
    } catch (publishError) {
      // The failure could not be recorded: hand the message back so it is not lost (after the
      // last delivery, the dead-letter reaper records it).
      log.error({ err: publishError }, 'could not publish JobFailed; will retry');
      message.nak(delayMs);
      observe('retried');
    }
  } finally {
    clearInterval(heartbeat);
    clearTimeout(timer);
  }
}

/** True when every output of the consumer's step is in the log after `input`. */
async function allOutputsPublished(options: JobEventConsumerOptions, input: StepInput): Promise<boolean> {
  const { outputs } = pipelineStep(options.step);
  const published = await Promise.all(outputs.map((type) => isStepOutputPublished(options.jsm, input, type)));
  return published.every(Boolean);
}

/** Rejects with the signal's reason once it aborts (never resolves). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
