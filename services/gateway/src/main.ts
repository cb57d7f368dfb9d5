import {
  connectNats,
  createBlobStoreFromConfig,
  createJobEventFeed,
  createJobEventPublisher,
  createLogger,
  createServiceMetrics,
  loadConfig,
  openReadModelFromConfig,
  PROJECTOR_CONSUMER_POLICY,
  provisionConsumer,
  provisionDeadLetterStream,
  provisionJobsStream,
  REAPER_CONSUMER_POLICY,
  retryFailedJob,
  shutdownOnSignal,
  startDeadLetterReaper,
  startJobViewProjector,
  startService,
  trackConnection,
} from '@lacquer/runtime';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { buildApp } from './app.ts';
import { gatewayConfigSchema } from './config.ts';

// The gateway process: settings, connections, the projector, the dead-letter reaper, the HTTP
// server, and a clean shutdown on SIGTERM. Everything else is built by buildApp.

await startService('gateway', async () => {
  const config = loadConfig(gatewayConfigSchema, process.env);
  // The config holds the key's hash only; drop the plaintext from the environment too.
  delete process.env.LACQUER_API_KEY;
  delete process.env.LACQUER_ADMIN_API_KEY;
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
  const metrics = createServiceMetrics('gateway');

  const app = await buildApp(
    {
      blobStore: blob.store,
      ...(blob.kind === 'fs' ? { fsBlobStore: blob.store } : {}),
      readModel,
      publisher,
      feed: createJobEventFeed(js),
      retryFailedJob: (jobId) => retryFailedJob({ jsm, publisher, readModel }, jobId),
      health: { registry: metrics.registry, ready: connected },
      log,
    },
    config,
  );

  shutdownOnSignal(async () => {
    await Promise.all([projector.stop(), reaper.stop()]);
    await app.close();
    await closeReadModel();
    await nc.drain();
  }, log);

  const url = await app.listen({ host: config.HOST, port: config.PORT });
  log.info(
    { url, blobStore: blob.kind, readModel: config.LACQUER_READ_MODEL, docs: `${url}/docs` },
    'gateway listening',
  );
});
