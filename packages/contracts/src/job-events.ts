import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { LacquerError } from '@lacquer/errors';
import {
  type EventContext,
  EventContextSchema,
  JobCompletedSchema,
  JobFailedSchema,
  JobRequestedSchema,
  JobRetriedSchema,
  JobStepAttemptFailedSchema,
  JobStepStartedSchema,
  MasteringDecidedSchema,
  MasterRenderedSchema,
  TrackAnalyzedSchema,
} from './gen/lacquer/job/v1/events_pb.ts';
import { isSubjectToken } from './subject-token.ts';

/**
 * Every job event type: its protobuf schema and the token that names it in subjects
 * (`lacquer.job.<token>.<jobId>`). The one table the subjects, headers and decoders use.
 */
export const JOB_EVENT_TYPES = {
  JobRequested: { schema: JobRequestedSchema, token: 'requested' },
  JobStepStarted: { schema: JobStepStartedSchema, token: 'step-started' },
  JobStepAttemptFailed: { schema: JobStepAttemptFailedSchema, token: 'attempt-failed' },
  JobRetried: { schema: JobRetriedSchema, token: 'retried' },
  TrackAnalyzed: { schema: TrackAnalyzedSchema, token: 'analyzed' },
  MasteringDecided: { schema: MasteringDecidedSchema, token: 'decided' },
  MasterRendered: { schema: MasterRenderedSchema, token: 'rendered' },
  JobCompleted: { schema: JobCompletedSchema, token: 'completed' },
  JobFailed: { schema: JobFailedSchema, token: 'failed' },
} as const satisfies Record<string, { schema: DescMessage; token: string }>;

/** The name of a job event, e.g. `TrackAnalyzed` (also the `Lacquer-Event-Type` header). */
export type JobEventType = keyof typeof JOB_EVENT_TYPES;

/** The decoded body of one event type. */
export type JobEventData<T extends JobEventType> = MessageShape<(typeof JOB_EVENT_TYPES)[T]['schema']>;

/** A job event as a readonly `{type, data}` record, discriminated by `type`. */
export type JobEvent = {
  [T in JobEventType]: { readonly type: T; readonly data: JobEventData<T> };
}[JobEventType];

/** True when `name` is a known job event type. */
export function isJobEventType(name: string): name is JobEventType {
  return Object.hasOwn(JOB_EVENT_TYPES, name);
}

/** The protobuf binary body of an event. */
export function encodeJobEvent(event: JobEvent): Uint8Array {
  const schema: DescMessage = JOB_EVENT_TYPES[event.type].schema;
  return toBinary(schema, event.data as MessageShape<DescMessage>);
}

/**
 * Decodes a body published under `type`.
 *
 * @throws LacquerError `EVENT_INVALID` for an unknown type, a body that is not that message, or
 *   a job or tenant id that is not a subject token.
 */
export function decodeJobEvent(type: string, body: Uint8Array): JobEvent {
  if (!isJobEventType(type)) {
    throw new LacquerError('EVENT_INVALID', `unknown job event type "${type}"`, { details: { type } });
  }
  let data: MessageShape<DescMessage>;
  try {
    data = fromBinary(JOB_EVENT_TYPES[type].schema as DescMessage, body);
  } catch (cause) {
    throw new LacquerError('EVENT_INVALID', `the body of a ${type} event does not decode`, {
      cause,
      details: { type },
    });
  }
  const context = (data as { context?: { jobId: string; tenantId: string } }).context;
  if (!(context && isSubjectToken(context.jobId) && isSubjectToken(context.tenantId))) {
    throw new LacquerError('EVENT_INVALID', `a ${type} event has no valid job id or tenant id`, {
      details: { type },
    });
  }
  return { type, data } as JobEvent;
}

/** The context every job event starts with; `occurredAt` is passed in, never read from a clock here. */
export function jobEventContext(jobId: string, tenantId: string, occurredAt: Date): EventContext {
  return create(EventContextSchema, { jobId, tenantId, occurredAt: timestampFromDate(occurredAt) });
}
