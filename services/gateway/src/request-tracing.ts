import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifyInstance } from 'fastify';

/** Paths probed every few seconds by Kubernetes and Prometheus: not worth a trace each. */
const UNTRACED_PATHS = ['/healthz', '/readyz', '/metrics'];

/**
 * Makes every API request a SERVER span (fastify's own OpenTelemetry plugin, @fastify/otel),
 * named `<METHOD> <route pattern>` and a child of the caller's `traceparent` when it sends
 * one. Handlers run inside it, so the events they publish carry its trace context on to the
 * workers. Register before the routes; spans go to the process's registered tracer provider
 * (none registered: no-op).
 */
export async function registerRequestTracing(app: FastifyInstance): Promise<void> {
  const instrumentation = new FastifyOtelInstrumentation({
    // One span per request: hook and handler child spans would only repeat it (and are named
    // after the source text of anonymous plugins).
    instrumentHooks: false,
    instrumentHandler: false,
    ignorePaths: ({ url }) => UNTRACED_PATHS.some((path) => url === path || url.startsWith(`${path}?`)),
    requestHook: (span, request) =>
      span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`),
  });
  await app.register(instrumentation.plugin());
}
