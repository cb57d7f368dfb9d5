import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The outcome label of `lacquer_<service>_jobs_processed_total`. */
export type JobOutcome = 'succeeded' | 'retried' | 'failed' | 'skipped' | 'handed_back';

/**
 * A service's Prometheus metrics (prom-client), named after Prometheus conventions
 * (`lacquer_<service>_…`, base units, `_total` for counters). No job ids in labels.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** `lacquer_<service>_jobs_processed_total{outcome}`: deliveries handled, by outcome. */
  readonly jobsProcessedTotal: Counter<'outcome'>;
  /** `lacquer_<service>_job_duration_seconds`: wall time of one delivery's handler. */
  readonly jobDurationSeconds: Histogram<'outcome'>;
}

/** `lacquer_<service>_`, the prefix of every metric of `service` (`cover-art` → `lacquer_cover_art_`). */
export function metricPrefix(service: string): string {
  return `lacquer_${service.replaceAll('-', '_')}_`;
}

/**
 * A new registry for `service` (e.g. `gateway`) with prom-client's default process and Node.js
 * metrics under its prefix (`lacquer_gateway_process_cpu_seconds_total`, …).
 */
export function createServiceRegistry(service: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: metricPrefix(service) });
  return registry;
}

/** The registry of worker `service` (e.g. `mastering`): the default metrics and the job metrics. */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = createServiceRegistry(service);
  const prefix = metricPrefix(service);
  return {
    registry,
    jobsProcessedTotal: new Counter({
      name: `${prefix}jobs_processed_total`,
      help: 'Job event deliveries handled, by outcome (succeeded, retried, failed, skipped: already done, handed_back: shutdown).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    jobDurationSeconds: new Histogram({
      name: `${prefix}job_duration_seconds`,
      help: "Wall time of one delivery's handler, seconds.",
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
  };
}
