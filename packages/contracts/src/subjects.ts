import { JOB_EVENT_TYPES, type JobEventType } from './job-events.ts';
import { isSubjectToken } from './subject-token.ts';

/**
 * The one source of stream, subject, consumer and header names. Services, the chart and the
 * manifests take them from here (a test compares them).
 */

/** The stream that holds every job event: the event log, source of truth for job state. */
export const JOBS_STREAM_NAME = 'JOBS';

/** Subjects of {@link JOBS_STREAM_NAME}. */
export const JOBS_STREAM_SUBJECTS = ['lacquer.job.>'] as const;

/** `lacquer.job.<event>.<jobId>`: where one event of one job is published. */
export function jobEventSubject(type: JobEventType, jobId: string): string {
  if (!isSubjectToken(jobId)) throw new TypeError(`job id "${jobId}" is not a subject token`);
  return `lacquer.job.${JOB_EVENT_TYPES[type].token}.${jobId}`;
}

/** `lacquer.job.<event>.*`: every job's events of one type (a worker's consumer filter). */
export function jobEventFilter(type: JobEventType): string {
  return `lacquer.job.${JOB_EVENT_TYPES[type].token}.*`;
}

/** `lacquer.job.*.<jobId>`: one job's whole history. */
export function jobHistoryFilter(jobId: string): string {
  if (!isSubjectToken(jobId)) throw new TypeError(`job id "${jobId}" is not a subject token`);
  return `lacquer.job.*.${jobId}`;
}

/** Message headers every job event carries. */
export const EVENT_HEADERS = {
  /** JetStream de-duplication id: deterministic per job and event (see {@link jobEventMessageId}). */
  messageId: 'Nats-Msg-Id',
  /** W3C trace context. */
  traceparent: 'traceparent',
  eventType: 'Lacquer-Event-Type',
  tenant: 'Lacquer-Tenant',
} as const;

/**
 * `<jobId>:<token>[:<qualifier>]`: the same fact about the same job always gets the same id,
 * so a redelivered handler that publishes again is dropped by JetStream as a duplicate.
 * `qualifier` separates facts that may happen more than once (a step's attempt number).
 */
export function jobEventMessageId(type: JobEventType, jobId: string, qualifier?: string): string {
  const base = `${jobId}:${JOB_EVENT_TYPES[type].token}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/**
 * The stream of dead letters: JetStream's advisories for a JOBS message that ran out of
 * deliveries or was terminated. The reaper turns each into a JobFailed (ARCHITECTURE.md).
 */
export const DEAD_LETTERS_STREAM_NAME = 'DEAD_LETTERS';

/** Subjects of {@link DEAD_LETTERS_STREAM_NAME}: both advisories, for every consumer of JOBS. */
export const DEAD_LETTERS_STREAM_SUBJECTS = [
  `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${JOBS_STREAM_NAME}.*`,
  `$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.${JOBS_STREAM_NAME}.*`,
] as const;

/** A durable pull consumer, shared by all replicas of its service. */
export interface ConsumerSpec {
  readonly stream: string;
  readonly durableName: string;
  /** Only messages on this subject; `null` for every message of the stream. */
  readonly filterSubject: string | null;
}

/** The durable consumer of each worker service, the read-model projector's and the reaper's. */
export const CONSUMERS = {
  analyzer: {
    stream: JOBS_STREAM_NAME,
    durableName: 'analyzer',
    filterSubject: jobEventFilter('JobRequested'),
  },
  decision: {
    stream: JOBS_STREAM_NAME,
    durableName: 'decision',
    filterSubject: jobEventFilter('TrackAnalyzed'),
  },
  mastering: {
    stream: JOBS_STREAM_NAME,
    durableName: 'mastering',
    filterSubject: jobEventFilter('MasteringDecided'),
  },
  projector: { stream: JOBS_STREAM_NAME, durableName: 'projector', filterSubject: JOBS_STREAM_SUBJECTS[0] },
  reaper: { stream: DEAD_LETTERS_STREAM_NAME, durableName: 'reaper', filterSubject: null },
} as const satisfies Record<string, ConsumerSpec>;

/** The name of a consumer in {@link CONSUMERS}. */
export type ConsumerName = keyof typeof CONSUMERS;
