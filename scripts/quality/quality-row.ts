import type { CaseRun } from './cases.ts';
import type { CriterionId } from './criteria.ts';

/** What was measured for one run; `null` where it could not be (the run failed). */
export interface RowMeasures {
  /** Length of the input, seconds (ffprobe). */
  readonly inputSeconds: number | null;
  /** Tonal distance of the input to the reference, dB; `null` without a reference. */
  readonly tonalBeforeDb: number | null;
  /** Tonal distance of the output to the reference, or to the input without one, dB. */
  readonly tonalAfterDb: number | null;
  /** Of the output, by ffmpeg's meter. */
  readonly integratedLufs: number | null;
  readonly truePeakDbtp: number | null;
  readonly loudnessRangeLu: number | null;
  /** True peak − integrated loudness, dB. */
  readonly plrDb: number | null;
  /** Output samples with |x| ≥ 1.0, decoded to float. */
  readonly clippedSamples: number | null;
  /** Wall time of the processor (both passes for loudnorm), seconds. */
  readonly wallSeconds: number | null;
  /** Peak resident memory of the processor's process tree, MB. */
  readonly peakMemoryMb: number | null;
}

/** One criterion judged on one row. */
export interface RowCheck {
  readonly criterion: CriterionId;
  /** The criterion's value for this row (see `Criterion.value`); `null` when not measured. */
  readonly value: number | null;
  readonly pass: boolean;
}

/** One row of the report: the run, what was measured, and the checks. */
export interface QualityRow extends CaseRun, RowMeasures {
  /** What the tonal distances are measured against. */
  readonly tonalAgainst: 'reference' | 'input';
  /** loudnorm's second pass: `linear` or its `dynamic` fallback; `null` for Lacquer. */
  readonly loudnormNormalization: string | null;
  /** Why the run or its measurement failed; `null` when it did not. */
  readonly error: string | null;
  readonly checks: readonly RowCheck[];
  /** Every check passed (for loudnorm rows: for comparison only). */
  readonly pass: boolean;
}
