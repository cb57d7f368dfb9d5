// Public entry of @lacquer/contracts: the generated protobuf messages (proto/ is their source)
// and the names and codecs built on them.
export * from './gen/lacquer/job/v1/events_pb.ts';
export * from './gen/lacquer/job/v1/measures_pb.ts';
export {
  decodeJobEvent,
  encodeJobEvent,
  isJobEventType,
  JOB_EVENT_TYPES,
  type JobEvent,
  type JobEventData,
  type JobEventType,
  jobEventContext,
} from './job-events.ts';
export { PIPELINE_STEPS, type PipelineStep, pipelineStep, pipelineStepOfConsumer } from './pipeline.ts';
export { isSubjectToken } from './subject-token.ts';
export {
  CONSUMERS,
  type ConsumerName,
  type ConsumerSpec,
  DEAD_LETTERS_STREAM_NAME,
  DEAD_LETTERS_STREAM_SUBJECTS,
  EVENT_HEADERS,
  JOBS_STREAM_NAME,
  JOBS_STREAM_SUBJECTS,
  jobEventFilter,
  jobEventMessageId,
  jobEventSubject,
  jobHistoryFilter,
} from './subjects.ts';
