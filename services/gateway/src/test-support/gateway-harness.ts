import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFsBlobStore,
  createJobEventFeed,
  createJobEventPublisher,
  createKvJobReadModel,
  createLogger,
  createServiceRegistry,
  type FsBlobStore,
  type JobEventFeed,
  type JobEventPublisher,
  type JobReadModel,
  PROJECTOR_CONSUMER_POLICY,
  provisionConsumer,
  provisionJobsStream,
  provisionKvJobReadModel,
  type RunningConsumer,
  retryFailedJob,
  startJobViewProjector,
} from '@lacquer/runtime';
import { freePort, type NatsServer, startNatsServer } from '@lacquer/testing';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { hashApiKey, LOCAL_TENANT_ID } from '../api-keys.ts';
import { type AppConfig, buildApp } from '../app.ts';

/** The API keys of the test tenants. */
export const TEST_KEYS = {
  local: 'local-test-key',
  acme: 'acme-test-key-0123456789',
  admin: 'admin-test-key-0123456789',
} as const;

/** A gateway on real adapters: nats-server, KV read model, fs blob store, projector; listening on 127.0.0.1. */
export interface GatewayHarness {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly blobStore: FsBlobStore;
  /** A temporary directory that holds `blobDir` and nothing else the gateway writes. */
  readonly workDir: string;
  /** The blob store's root directory, `<workDir>/blobs`. */
  readonly blobDir: string;
  readonly readModel: JobReadModel;
  readonly publisher: JobEventPublisher;
  readonly nats: NatsServer;
  /** For reading what the gateway published. */
  readonly jsm: JetStreamManager;
  /** How many `follow` iterations of the job event feed are running now. */
  followers(): number;
  close(): Promise<void>;
}

/** What a test may change in the harness besides the app's config. */
export interface GatewayHarnessOptions {
  /** The clock the blob store signs and checks URLs with (default: the system clock). */
  readonly blobClock?: () => Date;
  /** The gateway's request logger (default: none). */
  readonly log?: FastifyBaseLogger;
}

/** Starts a nats-server and a gateway on it (one per test file). */
export async function startGatewayHarness(
  config: Partial<AppConfig> = {},
  options: GatewayHarnessOptions = {},
): Promise<GatewayHarness> {
  const nats = await startNatsServer();
  const nc: NatsConnection = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  await provisionJobsStream(jsm);
  await provisionConsumer(jsm, 'projector', PROJECTOR_CONSUMER_POLICY);
  const js = jetstream(nc);
  const bucket = `jobs-${randomUUID()}`;
  await provisionKvJobReadModel(nc, { bucket });
  const readModel = createKvJobReadModel(nc, { bucket });
  const workDir = await mkdtemp(join(tmpdir(), 'lacquer-gateway-'));
  const blobDir = join(workDir, 'blobs');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const blobStore = createFsBlobStore({
    rootDir: blobDir,
    publicBaseUrl: baseUrl,
    signingSecret: 's'.repeat(32),
    ...(options.blobClock ? { now: options.blobClock } : {}),
  });
  const log = createLogger('gateway-test', 'silent');
  const projector: RunningConsumer = startJobViewProjector({ js, readModel, log });
  const publisher = createJobEventPublisher(js);
  const feed = createJobEventFeed(js);
  let followers = 0;
  const countedFeed: JobEventFeed = {
    async *follow(jobId, signal) {
      followers += 1;
      try {
        yield* feed.follow(jobId, signal);
      } finally {
        followers -= 1;
      }
    },
  };
  const app = await buildApp(
    {
      blobStore,
      fsBlobStore: blobStore,
      readModel,
      publisher,
      feed: countedFeed,
      retryFailedJob: (jobId) => retryFailedJob({ jsm, publisher, readModel }, jobId),
      health: { registry: createServiceRegistry('gateway'), ready: () => !nc.isClosed() },
      ...(options.log ? { log: options.log } : {}),
    },
    {
      apiKeys: [
        { tenantId: LOCAL_TENANT_ID, keySha256: hashApiKey(TEST_KEYS.local) },
        { tenantId: 'acme', keySha256: hashApiKey(TEST_KEYS.acme) },
      ],
      adminKeys: [{ tenantId: '@operator', keySha256: hashApiKey(TEST_KEYS.admin) }],
      maxUploadBytes: 1024 * 1024,
      signedUrlTtlSeconds: 900,
      maxJobsInFlightPerTenant: 1000,
      ...config,
    },
  );
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    baseUrl,
    blobStore,
    workDir,
    blobDir,
    readModel,
    publisher,
    nats,
    jsm,
    followers: () => followers,
    async close() {
      await app.close();
      await projector.stop();
      await nc.close();
      await nats.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** `Authorization` header of a tenant's key. */
export function bearer(tenant: keyof typeof TEST_KEYS): { authorization: string } {
  return { authorization: `Bearer ${TEST_KEYS[tenant]}` };
}
