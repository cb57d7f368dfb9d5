import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Counts and times every HTTP answer in `registry`:
 * `lacquer_gateway_http_requests_total{method,route,status_code}` and
 * `lacquer_gateway_http_request_duration_seconds{method,route,status_code}`. `route` is the
 * route's pattern (`/v1/jobs/:jobId`), never the path itself (no ids in labels); requests
 * that match no route are `unmatched`. Event streams are counted when they end.
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requestsTotal = new Counter({
    name: 'lacquer_gateway_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const durationSeconds = new Histogram({
    name: 'lacquer_gateway_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its answer, seconds.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.once('finish', () => {
      const labels = {
        method: request.method,
        route: request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'),
        status_code: String(reply.raw.statusCode),
      };
      requestsTotal.inc(labels);
      durationSeconds.observe(labels, reply.elapsedTime / 1000);
    });
  });
}
