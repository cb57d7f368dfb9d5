import type { CaseRun } from './cases.ts';
import type { RowCheck, RowMeasures } from './quality-row.ts';

export type CriterionId = 'a' | 'b' | 'c' | 'd-true-peak' | 'd-loudness' | 'd-clipping';

/** A pass/fail criterion: `value(row) ≤ limit` on every row it applies to. */
export interface Criterion {
  readonly id: CriterionId;
  /** In words, with the limit. */
  readonly description: string;
  /** What `value` is, with its unit. */
  readonly valueName: string;
  readonly limit: number;
  /** Whether it judges `run` (Lacquer's rows; the `d-` criteria also loudnorm's, for comparison). */
  appliesTo(run: CaseRun): boolean;
  /** `null` when the row lacks a measure it needs (the row then fails). */
  value(measures: RowMeasures, run: CaseRun): number | null;
}

/**
 * ffmpeg prints its linear true peak to 3 decimals: a peak exactly at −1 dBTP can read up to
 * 0.005 dB over it (as in scripts/corpus/verify-corpus.ts).
 */
export const FFMPEG_PEAK_PRINT_RESOLUTION_DB = 0.005;
/** How close to the target the integrated loudness must be, by ffmpeg's meter, LU. */
export const LOUDNESS_TOLERANCE_LU = 0.3;

const isLacquer = (run: CaseRun) => run.processor === 'lacquer';
const orNull = (value: number | null, f: (x: number) => number) => (value === null ? null : f(value));

/** The criteria of the report, in the order of its summary. */
export const CRITERIA: readonly Criterion[] = [
  {
    id: 'a',
    description: 'de-mastered, with the reference: tonal distance to the reference after ≤ 0.10 dB',
    valueName: 'tonal distance after (dB)',
    limit: 0.1,
    appliesTo: (run) => isLacquer(run) && run.caseName === 'de-mastered' && run.mode === 'reference',
    value: (m) => m.tonalAfterDb,
  },
  {
    id: 'b',
    description: 'de-mastered, without the reference (auto): tonal distance to the reference after ≤ 1.5 dB',
    valueName: 'tonal distance after (dB)',
    limit: 1.5,
    appliesTo: (run) => isLacquer(run) && run.caseName === 'de-mastered' && run.mode === 'auto',
    value: (m) => m.tonalAfterDb,
  },
  {
    id: 'c',
    description: 'cross pairs: tonal distance to the reference after ≤ ½ of before',
    valueName: 'after / before',
    limit: 0.5,
    appliesTo: (run) => isLacquer(run) && run.caseName === 'cross',
    value: (m) =>
      m.tonalAfterDb === null || m.tonalBeforeDb === null ? null : m.tonalAfterDb / m.tonalBeforeDb,
  },
  {
    id: 'd-true-peak',
    description: `every output: true peak ≤ ceiling by ffmpeg (+${FFMPEG_PEAK_PRINT_RESOLUTION_DB} dB, its print resolution)`,
    valueName: 'true peak − ceiling (dB)',
    limit: FFMPEG_PEAK_PRINT_RESOLUTION_DB,
    appliesTo: () => true,
    value: (m, run) => orNull(m.truePeakDbtp, (tp) => tp - run.ceilingDbtp),
  },
  {
    id: 'd-loudness',
    description: `every output: |integrated − target| ≤ ${LOUDNESS_TOLERANCE_LU} LU by ffmpeg`,
    valueName: '|integrated − target| (LU)',
    limit: LOUDNESS_TOLERANCE_LU,
    appliesTo: () => true,
    value: (m, run) => orNull(m.integratedLufs, (i) => Math.abs(i - run.targetLufs)),
  },
  {
    id: 'd-clipping',
    description: 'every output: no sample at or beyond full scale (|x| ≥ 1.0 decoded to float)',
    valueName: 'clipped samples',
    limit: 0,
    appliesTo: () => true,
    value: (m) => m.clippedSamples,
  },
];

/** The criteria that apply to `run`, judged on its measures. */
export function checkRow(run: CaseRun, measures: RowMeasures): RowCheck[] {
  return CRITERIA.filter((criterion) => criterion.appliesTo(run)).map((criterion) => {
    const value = criterion.value(measures, run);
    return { criterion: criterion.id, value, pass: value !== null && value <= criterion.limit };
  });
}
