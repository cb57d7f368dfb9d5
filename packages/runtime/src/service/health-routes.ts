import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Registry } from 'prom-client';

/** What a service's health routes report. */
export interface HealthChecks {
  /** The metrics registry served at `/metrics`. */
  readonly registry: Registry;
  /** Whether the service can do its work now (NATS connected, stores reachable). */
  readonly ready: () => boolean | Promise<boolean>;
}

/**
 * `GET /healthz` (the process is alive: always 200), `GET /readyz` (200 when `ready()`,
 * else 503) and `GET /metrics` (Prometheus text format), on a service's HTTP server.
 */
export function registerHealthRoutes(app: FastifyInstance, checks: HealthChecks): void {
  // Kept out of the OpenAPI document (`hide` is @fastify/swagger's schema flag).
  const hide = { schema: { hide: true } as Record<string, unknown> as FastifySchema };
  app.get('/healthz', hide, async () => ({ status: 'ok' }));
  app.get('/readyz', hide, async (_request, reply) => {
    const ready = await checks.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/metrics', hide, async (_request, reply) =>
    reply.type(checks.registry.contentType).send(await checks.registry.metrics()),
  );
}
