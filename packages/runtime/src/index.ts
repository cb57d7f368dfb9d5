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
export { type FsBlobRoutesOptions, fsBlobRoutes } from './blob/fs-blob-routes.ts';
export { createFsBlobStore, type FsBlobStore, type FsBlobStoreOptions } from './blob/fs-blob-store.ts';
export {
  ARTIFACT_NAMES,
  type ArtifactName,
  artifactObjectKey,
  isArtifactName,
  uploadObjectKey,
} from './blob/object-keys.ts';
export { readJsonDocument } from './blob/read-json-document.ts';
export { createS3BlobStore, type S3BlobStoreOptions } from './blob/s3-blob-store.ts';
export { type ArtifactSource, storeArtifact } from './blob/store-artifact.ts';
export {
  type ArtifactView,
  evolveJobView,
  type JobStatus,
  type JobStepName,
  type JobView,
} from './jobs/job-view.ts';
export { rebuildJobViews, startJobViewProjector } from './jobs/job-view-projector.ts';
export { levelMeasures, type MeasuresView, measuresView } from './jobs/level-measures.ts';
export { type JobRetry, type RetryPorts, retryFailedJob } from './jobs/retry-failed-job.ts';
export { connectNats, trackConnection } from './messaging/connect-nats.ts';
export {
  type DeadLetterAdvisory,
  type ReapOutcome,
  reapDeadLetter,
  startDeadLetterReaper,
} from './messaging/dead-letter-reaper.ts';
export { createJobEventFeed } from './messaging/jetstream-job-event-feed.ts';
export {
  type JobEventConsumerOptions,
  type JobEventDelivery,
  type JobEventHandler,
  startJobEventConsumer,
} from './messaging/job-event-consumer.ts';
export type { JobEventFeed, JobEventPublisher, SequencedJobEvent } from './messaging/job-event-ports.ts';
export { createJobEventPublisher, eventJob } from './messaging/job-event-publisher.ts';
export { readJobRequest } from './messaging/job-requests.ts';
export {
  type ConsumerPolicy,
  DEAD_LETTER_MAX_AGE_MS,
  DUPLICATE_WINDOW_MS,
  PROJECTOR_CONSUMER_POLICY,
  provisionConsumer,
  provisionDeadLetterStream,
  provisionJobsStream,
  REAPER_CONSUMER_POLICY,
  WORKER_CONSUMER_POLICY,
} from './messaging/provision-streams.ts';
export { type PullLoopOptions, type RunningConsumer, startPullLoop } from './messaging/pull-loop.ts';
export { type RetryDelayOptions, retryDelayMs } from './messaging/retry-delay.ts';
export {
  isStepOutputPublished,
  lastSequenceOn,
  publishStepOutput,
  type StepInput,
} from './messaging/step-outputs.ts';
export { MAX_JOB_PAGE_LIMIT } from './read-model/job-page-request.ts';
export type { IdempotencyClaim, JobPage, JobReadModel } from './read-model/job-read-model.ts';
export { createKvJobReadModel, type KvJobReadModelOptions } from './read-model/kv-job-read-model.ts';
export { provisionKvJobReadModel } from './read-model/kv-job-read-model-bucket.ts';
export { createMongoJobReadModel, type MongoJobReadModelOptions } from './read-model/mongo-job-read-model.ts';
export { provisionMongoJobReadModel } from './read-model/mongo-job-read-model-collections.ts';
export { registerConsumerLagMetrics } from './service/consumer-lag-metrics.ts';
export { createLogger } from './service/create-logger.ts';
export { type HealthChecks, registerHealthRoutes } from './service/health-routes.ts';
export { loadConfig } from './service/load-config.ts';
export { createBlobStoreFromConfig, openReadModelFromConfig } from './service/platform-adapters.ts';
export { type PlatformConfig, platformEnv, portEnv } from './service/platform-config.ts';
export { shutdownOnSignal } from './service/run-until-signal.ts';
export {
  type RunningWorkerService,
  runWorkerService,
  startWorkerService,
  type WorkerConfig,
  type WorkerServiceDefinition,
  workerEnv,
} from './service/run-worker-service.ts';
export { withScratchDir } from './service/scratch-dir.ts';
export {
  createServiceMetrics,
  createServiceRegistry,
  type JobOutcome,
  metricPrefix,
  type ServiceMetrics,
} from './service/service-metrics.ts';
export { startService } from './service/start-service.ts';
export { createTaskPool, type TaskPool } from './service/task-pool.ts';
export type { WorkerPorts } from './service/worker-ports.ts';
export { inSpan, markFailed } from './telemetry/in-span.ts';
export { logTraceFields } from './telemetry/log-trace-fields.ts';
export { startTracing, type Tracing, type TracingOptions } from './telemetry/start-tracing.ts';
export { contextOfTraceparent, traceIdOf, traceparentOf } from './telemetry/trace-context.ts';
export { lacquerTracer, TRACER_NAME } from './telemetry/tracer.ts';
