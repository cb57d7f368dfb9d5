import { median } from '../bench/bench-input.ts';
import type { ProcessorName } from './cases.ts';
import { CRITERIA, type CriterionId } from './criteria.ts';
import type { QualityRow } from './quality-row.ts';

/** One criterion over the rows of one processor. */
export interface CriterionResult {
  /** Rows the criterion judged. */
  readonly rows: number;
  /** Rows that failed it (a row without the measure fails). */
  readonly failed: number;
  /** The largest value over the rows (the criterion is `value ≤ limit`); `null` when none was measured. */
  readonly worst: number | null;
  readonly pass: boolean;
}

export interface CriterionSummary {
  readonly id: CriterionId;
  readonly description: string;
  readonly valueName: string;
  readonly limit: number;
  /** What decides the report's pass; `null` when no Lacquer row is judged by it. */
  readonly lacquer: CriterionResult | null;
  /** For comparison only; `null` when it does not judge loudnorm's rows (a, b, c). */
  readonly loudnorm: CriterionResult | null;
}

/** Median wall time and peak memory of one processor over its rows (the long file left out). */
export interface ProcessorMedians {
  readonly processor: ProcessorName;
  readonly rows: number;
  readonly wallSeconds: number | null;
  readonly peakMemoryMb: number | null;
}

export interface QualitySummary {
  /** Every criterion passes on Lacquer's rows (loudnorm's do not count). */
  readonly pass: boolean;
  readonly criteria: readonly CriterionSummary[];
  readonly medians: readonly ProcessorMedians[];
}

function result(rows: readonly QualityRow[], id: CriterionId): CriterionResult | null {
  const checks = rows.flatMap((row) => row.checks.filter((check) => check.criterion === id));
  if (checks.length === 0) return null;
  const values = checks.map((check) => check.value).filter((value) => value !== null);
  const failed = checks.filter((check) => !check.pass).length;
  return {
    rows: checks.length,
    failed,
    worst: values.length === 0 ? null : Math.max(...values),
    pass: failed === 0,
  };
}

function medians(rows: readonly QualityRow[], processor: ProcessorName): ProcessorMedians {
  const measured = rows.filter(
    (row) => row.processor === processor && row.caseName !== 'long' && row.wallSeconds !== null,
  );
  const of = (values: (number | null)[]) =>
    measured.length === 0 ? null : median(values.filter((value) => value !== null));
  return {
    processor,
    rows: measured.length,
    wallSeconds: of(measured.map((row) => row.wallSeconds)),
    peakMemoryMb: of(measured.map((row) => row.peakMemoryMb)),
  };
}

/** Each criterion's worst value and pass over the rows, and the medians of time and memory. */
export function summarize(rows: readonly QualityRow[]): QualitySummary {
  const byProcessor = (processor: ProcessorName) => rows.filter((row) => row.processor === processor);
  const criteria = CRITERIA.map((criterion) => ({
    id: criterion.id,
    description: criterion.description,
    valueName: criterion.valueName,
    limit: criterion.limit,
    lacquer: result(byProcessor('lacquer'), criterion.id),
    loudnorm: result(byProcessor('loudnorm'), criterion.id),
  }));
  return {
    pass: criteria.every((criterion) => criterion.lacquer?.pass ?? true),
    criteria,
    medians: [medians(rows, 'lacquer'), medians(rows, 'loudnorm')],
  };
}
