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

/** Creates the registry of `service` (e.g. `mastering`), with Node's default metrics. */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  const prefix = `lacquer_${service.replaceAll('-', '_')}_`;
  collectDefaultMetrics({ register: registry, prefix });
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
