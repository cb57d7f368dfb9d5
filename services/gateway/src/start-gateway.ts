import {
  connectNats,
  createBlobStoreFromConfig,
  createJobEventFeed,
  createJobEventPublisher,
  createLogger,
  createServiceRegistry,
  openReadModelFromConfig,
  PROJECTOR_CONSUMER_POLICY,
  provisionConsumer,
  provisionDeadLetterStream,
  provisionJobsStream,
  REAPER_CONSUMER_POLICY,
  registerConsumerLagMetrics,
  retryFailedJob,
  startDeadLetterReaper,
  startJobViewProjector,
  trackConnection,
} from '@lacquer/runtime';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { buildApp } from './app.ts';
import type { GatewayConfig } from './config.ts';

/** A gateway started by {@link startGateway}. */
export interface RunningGateway {
  /** Where the API listens, `http://host:port`. */
  readonly url: string;
  /** Stops the projector and the reaper, closes the server and the read model, drains NATS. */
  stop(): Promise<void>;
}

/**
 * Starts the gateway in this process: connects to NATS, provisions the JOBS and DEAD_LETTERS
 * streams and the projector's and reaper's consumers, opens the blob store and the read
 * model, runs the projector and the dead-letter reaper, and listens on `HOST:PORT`.
 * `/metrics` adds the projector's and reaper's queue lag to the HTTP metrics.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const log = createLogger('gateway', config.LOG_LEVEL);
  const nc = await connectNats(config.NATS_URL, 'gateway');
  const connected = trackConnection(nc);
  const jsm = await jetstreamManager(nc);
  await provisionJobsStream(jsm);
  await provisionDeadLetterStream(jsm);
  await provisionConsumer(jsm, 'projector', PROJECTOR_CONSUMER_POLICY);
  await provisionConsumer(jsm, 'reaper', REAPER_CONSUMER_POLICY);
  const js = jetstream(nc);
  const publisher = createJobEventPublisher(js);

  const blob = createBlobStoreFromConfig(config);
  const { readModel, close: closeReadModel } = await openReadModelFromConfig(config, nc);
  const projector = startJobViewProjector({ js, readModel, log });
  const reaper = startDeadLetterReaper({ js, jsm, publisher, log });
  const registry = createServiceRegistry('gateway');
  registerConsumerLagMetrics(registry, 'gateway', jsm, ['projector', 'reaper']);

  const app = await buildApp(
    {
      blobStore: blob.store,
      ...(blob.kind === 'fs' ? { fsBlobStore: blob.store } : {}),
      readModel,
      publisher,
      feed: createJobEventFeed(js),
      retryFailedJob: (jobId) => retryFailedJob({ jsm, publisher, readModel }, jobId),
      health: { registry, ready: connected },
      log,
    },
    config,
  );
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  log.info(
    { url, blobStore: blob.kind, readModel: config.LACQUER_READ_MODEL, docs: `${url}/docs` },
    'gateway listening',
  );
  return {
    url,
    async stop() {
      await Promise.all([projector.stop(), reaper.stop()]);
      await app.close();
      await closeReadModel();
      await nc.drain();
    },
  };
}
