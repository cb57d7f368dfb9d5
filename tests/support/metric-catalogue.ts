/** Metric families by name, as a `/metrics` page or a document lists them. */
export type MetricTypes = ReadonlyMap<string, string>;

/** The metric families of a Prometheus text exposition (`# TYPE <name> <type>` lines). */
export function exposedMetrics(exposition: string): MetricTypes {
  const types = new Map<string, string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(name!, type!);
  return types;
}

/**
 * The metrics the README documents for `service`: the rows of its metrics table
 * (`` | `lacquer_<service>_…` | type | labels | services | … ``), with `<service>` read as
 * each service the row names (`all`: every one of `services`).
 */
export function documentedMetrics(readme: string, service: string, services: readonly string[]): MetricTypes {
  const types = new Map<string, string>();
  const row = /^\|\s*`(lacquer_[a-z0-9_<>]+)`\s*\|\s*(\w+)\s*\|[^|]*\|([^|]+)\|/gm;
  for (const [, pattern, type, servedBy] of readme.matchAll(row)) {
    const names = servedBy!.trim() === 'all' ? services : servedBy!.split(',').map((name) => name.trim());
    if (names.includes(service)) types.set(pattern!.replace('<service>', service), type!);
  }
  return types;
}

/**
 * The metric names a PromQL expression reads (`lacquer_…` identifiers), with a histogram's
 * `_bucket`, `_sum` and `_count` series named by their family.
 */
export function queriedMetrics(expression: string): string[] {
  return [...expression.matchAll(/\blacquer_[a-z0-9_]+/g)].map(([name]) =>
    name.replace(/_(bucket|sum|count)$/, ''),
  );
}
