// Public entry of @lacquer/runtime: what every Lacquer service needs.

export type {
  BlobInfo,
  BlobStore,
  SignDownloadOptions,
  SignedUpload,
  SignedUrl,
  SignUploadOptions,
  StoredBlob,
} from './blob/blob-store.ts';
export {
  type ArtifactView,
  evolveJobView,
  type JobStatus,
  type JobStepName,
  type JobView,
} from './jobs/job-view.ts';
export { rebuildJobViews, startJobViewProjector } from './jobs/job-view-projector.ts';
export { type MeasuresView, measuresView } from './jobs/level-measures.ts';
export { connectNats } from './messaging/connect-nats.ts';
export { createJobEventFeed } from './messaging/jetstream-job-event-feed.ts';
export {
  type JobEventConsumerOptions,
  type JobEventDelivery,
  type JobEventHandler,
  startJobEventConsumer,
} from './messaging/job-event-consumer.ts';
export type { JobEventFeed, JobEventPublisher, SequencedJobEvent } from './messaging/job-event-feed.ts';
export { createJobEventPublisher, eventJob } from './messaging/job-event-publisher.ts';
export {
  type ConsumerPolicy,
  DUPLICATE_WINDOW_MS,
  natsCall,
  PROJECTOR_CONSUMER_POLICY,
  provisionConsumer,
  provisionJobsStream,
  WORKER_CONSUMER_POLICY,
} from './messaging/provision-jobs-stream.ts';
export { type PullLoopOptions, type RunningConsumer, startPullLoop } from './messaging/pull-loop.ts';
export { type RetryDelayOptions, retryDelayMs } from './messaging/retry-delay.ts';
export { childTraceparent, newTraceparent, traceIdOf } from './messaging/trace-context.ts';
export type { IdempotencyClaim, JobPage, JobReadModel } from './read-model/job-read-model.ts';
export { createLogger } from './service/create-logger.ts';
export { type HealthChecks, registerHealthRoutes } from './service/health-routes.ts';
export { loadConfig } from './service/load-config.ts';
export { type PlatformConfig, platformEnv, portEnv } from './service/platform-config.ts';
export { shutdownOnSignal } from './service/run-until-signal.ts';
export { createServiceMetrics, type JobOutcome, type ServiceMetrics } from './service/service-metrics.ts';
