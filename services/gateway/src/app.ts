import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type FsBlobStore, type HealthChecks, registerHealthRoutes } from '@lacquer/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { authenticate, authenticateAdmin } from './authenticate.ts';
import type { ApiConfig } from './config.ts';
import { registerFsBlobRoutes } from './fs-blob-uploads.ts';
import { registerHttpMetrics } from './http-metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { registerProblemHandlers, sendProblem } from './problem-details.ts';
import { registerRequestTracing } from './request-tracing.ts';
import type { ApiInstance, GatewayPorts, RouteContext } from './route-context.ts';
import { registerAdminJobRoutes } from './routes/admin-jobs.ts';
import { registerCreateJobRoute } from './routes/create-job.ts';
import { registerCreateUploadRoute } from './routes/create-upload.ts';
import { registerGetArtifactRoute } from './routes/get-artifact.ts';
import { registerGetJobRoute } from './routes/get-job.ts';
import { registerJobEventsRoute } from './routes/job-events.ts';
import { registerListJobsRoute } from './routes/list-jobs.ts';
import { SHARED_SCHEMAS } from './schemas.ts';

/** The largest JSON body the API reads, bytes (uploads go to the blob store, not here). */
export const JSON_BODY_LIMIT_BYTES = 64 * 1024;

/** What {@link buildApp} wires: the ports, plus what only the HTTP server needs. */
export interface AppPorts extends GatewayPorts {
  /** `/metrics` serves this registry; `/readyz` asks `ready`. */
  readonly health: HealthChecks;
  /** The file-system blob store, when it is the one in use: its signed URLs are served here. */
  readonly fsBlobStore?: FsBlobStore;
  /** The request logger (pino); none when left out. */
  readonly log?: FastifyBaseLogger;
  readonly now?: () => Date;
  /** New job ids; UUIDv7 (time-ordered, so newest first is descending id) unless a test says. */
  readonly newJobId?: () => string;
  readonly newUploadId?: () => string;
}

/** {@link ApiConfig} and what tests may tune. */
export interface AppConfig extends ApiConfig {
  /** Event-stream heartbeat interval, ms (default 15 000). */
  readonly heartbeatIntervalMs?: number;
  /** `info.version` of the OpenAPI document. */
  readonly version?: string;
}

/**
 * Builds the gateway's HTTP API on the given ports, without side effects (nothing listens or
 * connects; `main.ts` does that, tests use `inject()` or `listen({port: 0})`):
 *
 * - `/v1/uploads`, `/v1/jobs…` with bearer API keys (see the routes/ folder);
 * - `/v1/admin/…` for operators, with an admin key (failed jobs, retries);
 * - `/v1/blobs/*` for the file-system store's signed URLs, authorised by their signature
 *   (an upload URL takes one file, once);
 * - `/v1/openapi.json` and `/docs`; `/healthz`, `/readyz`, `/metrics`;
 * - every error as `application/problem+json` with a stable code;
 * - every API request a span (see `registerRequestTracing`).
 */
export async function buildApp(ports: AppPorts, config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify({
    ...(ports.log ? { loggerInstance: ports.log } : { logger: false }),
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // A body property the schema does not name is an error, not silently dropped (and unions
    // of closed objects, like `target`, validate as written).
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors: sendProblem,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await registerRequestTracing(app);
  registerProblemHandlers(app);
  registerHttpMetrics(app, ports.health.registry);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await registerOpenApi(app, { version: config.version ?? '1.0.0' });
  registerHealthRoutes(app, ports.health);
  if (ports.fsBlobStore) await registerFsBlobRoutes(app, ports.fsBlobStore);

  const closing = new AbortController();
  // Before the server stops accepting and waits for open connections: end the event streams.
  app.addHook('preClose', async () => closing.abort());
  const context: RouteContext = {
    ports,
    config,
    now: ports.now ?? (() => new Date()),
    newJobId: ports.newJobId ?? (() => uuidv7()),
    newUploadId: ports.newUploadId ?? (() => randomUUID()),
    heartbeatIntervalMs: config.heartbeatIntervalMs ?? 15_000,
    closing: closing.signal,
  };
  await app.register(async (api: ApiInstance) => {
    api.decorateRequest('tenantId', '');
    api.addHook('onRequest', authenticate(config.apiKeys));
    registerCreateUploadRoute(api, context);
    registerCreateJobRoute(api, context);
    registerListJobsRoute(api, context);
    registerGetJobRoute(api, context);
    registerGetArtifactRoute(api, context);
    registerJobEventsRoute(api, context);
  });
  await app.register(async (admin: ApiInstance) => {
    admin.addHook('onRequest', authenticateAdmin(config));
    registerAdminJobRoutes(admin, context);
  });
  return app;
}
