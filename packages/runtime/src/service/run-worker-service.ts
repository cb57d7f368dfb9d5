import { type JobStep, pipelineStep } from '@lacquer/contracts';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import Fastify from 'fastify';
import { z } from 'zod';
import { connectNats, trackConnection } from '../messaging/connect-nats.ts';
import type { JobEventHandler } from '../messaging/job-event-consumer.ts';
import { startJobEventConsumer } from '../messaging/job-event-consumer.ts';
import { createJobEventPublisher } from '../messaging/job-event-publisher.ts';
import {
  provisionConsumer,
  provisionJobsStream,
  WORKER_CONSUMER_POLICY,
} from '../messaging/provision-streams.ts';
import { startTracing } from '../telemetry/start-tracing.ts';
import { registerConsumerLagMetrics } from './consumer-lag-metrics.ts';
import { createLogger } from './create-logger.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { createBlobStoreFromConfig } from './platform-adapters.ts';
import { platformEnv } from './platform-config.ts';
import { shutdownOnSignal } from './run-until-signal.ts';
import { createServiceMetrics } from './service-metrics.ts';
import { createTaskPool, NO_TASKS } from './task-pool.ts';
import type { WorkerPorts } from './worker-ports.ts';

/**
 * The environment of a worker service: {@link platformEnv} and
 * - `PORT`: health and metrics (default 0: the OS picks one, which the log names);
 * - `LACQUER_WORKER_SLOTS`: events handled at once by this process, 1 … 16 (default 1), each
 *   with a worker thread of its own;
 * - `LACQUER_MAX_DURATION_SECONDS`: the longest audio a worker decodes, 1 … 86 400 (default
 *   3600); longer files fail with `MEDIA_TOO_LONG`;
 * - `LACQUER_LONG_FILE_SECONDS`: programmes longer than this, 0 … 86 400 (default 600), are
 *   analysed and rendered from a scratch file in blocks, in bounded memory (0: every one);
 * - `LACQUER_ACK_WAIT_SECONDS`: how long a delivery may go without a heartbeat before
 *   JetStream hands it to another replica, 3 … 600 (default 30): what a killed worker costs;
 *   the worker heartbeats every third of it;
 * - `LACQUER_MAX_DELIVER`: deliveries of one event before its job fails, 1 … 20 (default 5);
 * - `LACQUER_STEP_TIMEOUT_SECONDS`: the longest one step may run, 1 … 86 400 (default 900);
 *   then it fails with `STEP_TIMED_OUT` (retryable);
 * - `LACQUER_SHUTDOWN_GRACE_SECONDS`: on SIGTERM, how long the steps in hand may take to
 *   finish before they are handed back, 0 … 3600 (default 20; keep it under Kubernetes'
 *   `terminationGracePeriodSeconds`).
 */
export const workerEnv = platformEnv.safeExtend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  LACQUER_WORKER_SLOTS: z.coerce.number().int().min(1).max(16).default(1),
  LACQUER_MAX_DURATION_SECONDS: z.coerce.number().min(1).max(86_400).default(3600),
  LACQUER_LONG_FILE_SECONDS: z.coerce.number().min(0).max(86_400).default(600),
  LACQUER_ACK_WAIT_SECONDS: z.coerce.number().min(3).max(600).default(30),
  LACQUER_MAX_DELIVER: z.coerce.number().int().min(1).max(20).default(5),
  LACQUER_STEP_TIMEOUT_SECONDS: z.coerce.number().min(1).max(86_400).default(900),
  LACQUER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(20),
});

/** The validated settings of a worker service. */
export type WorkerConfig = z.output<typeof workerEnv>;

/** What makes one worker service. */
export interface WorkerServiceDefinition {
  /** `analyzer`, `decision`, `mastering`, … (metrics prefix and log `service`). */
  readonly name: string;
  /** The pipeline step it performs (its consumer, input and outputs: `PIPELINE_STEPS`). */
  readonly step: JobStep;
  readonly config: WorkerConfig;
  /** The module whose exports run in worker threads (see `createTaskPool`); none for light work. */
  readonly taskModule?: URL;
  readonly createHandler: (ports: WorkerPorts) => JobEventHandler;
}

/** A worker service started by {@link startWorkerService}. */
export interface RunningWorkerService {
  /** Where `/healthz`, `/readyz` and `/metrics` are served, `http://host:port`. */
  readonly address: string;
  /**
   * Stops pulling, gives the deliveries in hand `LACQUER_SHUTDOWN_GRACE_SECONDS` to finish and
   * hands back the rest (`nak`), closes the HTTP server and the worker threads, and drains
   * the connection.
   */
  stop(): Promise<void>;
}

/**
 * Starts a worker service in this process: connects to NATS, provisions the JOBS stream and
 * its durable consumer, serves `/healthz`, `/readyz` and `/metrics` (job outcomes and
 * durations, and the consumer's queue lag) on `PORT`, and consumes with
 * `LACQUER_WORKER_SLOTS` slots. Each delivery is a span of the trace its event carries
 * (tracing itself is the process's: see {@link runWorkerService}).
 */
export async function startWorkerService(definition: WorkerServiceDefinition): Promise<RunningWorkerService> {
  const { config, name } = definition;
  const log = createLogger(name, config.LOG_LEVEL);
  const metrics = createServiceMetrics(name);
  const nc = await connectNats(config.NATS_URL, name);
  const connected = trackConnection(nc);
  const jsm = await jetstreamManager(nc);
  await provisionJobsStream(jsm);
  const { consumer: consumerName } = pipelineStep(definition.step);
  const policy = {
    ...WORKER_CONSUMER_POLICY,
    ackWaitMs: config.LACQUER_ACK_WAIT_SECONDS * 1000,
    maxDeliver: config.LACQUER_MAX_DELIVER,
  };
  await provisionConsumer(jsm, consumerName, policy);
  registerConsumerLagMetrics(metrics.registry, name, jsm, [consumerName]);
  const js = jetstream(nc);
  const tasks = definition.taskModule
    ? createTaskPool(definition.taskModule, { threads: config.LACQUER_WORKER_SLOTS })
    : NO_TASKS;
  const ports: WorkerPorts = {
    blobStore: createBlobStoreFromConfig(config).store,
    publisher: createJobEventPublisher(js),
    jsm,
    tasks,
    now: () => new Date(),
  };
  const http = Fastify();
  registerHealthRoutes(http, { registry: metrics.registry, ready: connected });
  const address = await http.listen({ host: config.HOST, port: config.PORT });
  const consumer = startJobEventConsumer({
    js,
    jsm,
    consumer: consumerName,
    step: definition.step,
    slots: config.LACQUER_WORKER_SLOTS,
    maxDeliver: policy.maxDeliver,
    heartbeatMs: policy.ackWaitMs / 3,
    stepTimeoutMs: config.LACQUER_STEP_TIMEOUT_SECONDS * 1000,
    publisher: ports.publisher,
    handler: definition.createHandler(ports),
    log,
    metrics,
  });
  log.info({ address, slots: config.LACQUER_WORKER_SLOTS }, `${name} ready`);
  return {
    address,
    async stop() {
      await consumer.stop({ graceMs: config.LACQUER_SHUTDOWN_GRACE_SECONDS * 1000 });
      await http.close();
      await tasks.close({ force: true });
      await nc.drain();
    },
  };
}

/**
 * Runs a worker service as its process's one service until SIGTERM: starts tracing
 * ({@link startTracing}: OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set), then the service
 * ({@link startWorkerService}); on SIGTERM it stops the service and flushes the spans.
 */
export async function runWorkerService(definition: WorkerServiceDefinition): Promise<void> {
  const tracing = startTracing(definition.name);
  const service = await startWorkerService(definition);
  shutdownOnSignal(
    async () => {
      await service.stop();
      await tracing.shutdown();
    },
    createLogger(definition.name, definition.config.LOG_LEVEL),
  );
}
