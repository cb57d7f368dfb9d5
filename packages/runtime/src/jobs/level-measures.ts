import { create } from '@bufbuild/protobuf';
import { type LevelMeasures, LevelMeasuresSchema } from '@lacquer/contracts';
import type { LevelSummary } from '@lacquer/engine';

/**
 * The headline figures of a programme as JSON for job views and the REST API: the fields of
 * the `LevelMeasures` contract, with `null` where protobuf carries a non-finite number
 * (the -Infinity LUFS of silence).
 */
export interface MeasuresView {
  readonly integratedLoudnessLufs: number | null;
  readonly loudnessRangeLu: number | null;
  readonly momentaryMaxLoudnessLufs: number | null;
  readonly shortTermMaxLoudnessLufs: number | null;
  readonly truePeakDbtp: number | null;
  readonly samplePeakDbfs: number | null;
  readonly plrDb: number | null;
  readonly rmsDbfs: number | null;
  readonly crestFactorDb: number | null;
}

const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** The JSON view of a `LevelMeasures` message. */
export function measuresView(measures: LevelMeasures): MeasuresView {
  return {
    integratedLoudnessLufs: finiteOrNull(measures.integratedLoudnessLufs),
    loudnessRangeLu: finiteOrNull(measures.loudnessRangeLu),
    momentaryMaxLoudnessLufs: finiteOrNull(measures.momentaryMaxLoudnessLufs),
    shortTermMaxLoudnessLufs: finiteOrNull(measures.shortTermMaxLoudnessLufs),
    truePeakDbtp: finiteOrNull(measures.truePeakDbtp),
    samplePeakDbfs: finiteOrNull(measures.samplePeakDbfs),
    plrDb: finiteOrNull(measures.plrDb),
    rmsDbfs: finiteOrNull(measures.rmsDbfs),
    crestFactorDb: finiteOrNull(measures.crestFactorDb),
  };
}

/** The `LevelMeasures` contract of an engine {@link LevelSummary} (analysis or output). */
export function levelMeasures(summary: LevelSummary): LevelMeasures {
  return create(LevelMeasuresSchema, {
    integratedLoudnessLufs: summary.integratedLufs,
    loudnessRangeLu: summary.loudnessRangeLu,
    momentaryMaxLoudnessLufs: summary.momentaryMaxLufs,
    shortTermMaxLoudnessLufs: summary.shortTermMaxLufs,
    truePeakDbtp: summary.truePeakDbtp,
    samplePeakDbfs: summary.samplePeakDbfs,
    plrDb: summary.plrDb,
    rmsDbfs: summary.rmsDbfs,
    ...(summary.crestFactorDb === null ? {} : { crestFactorDb: summary.crestFactorDb }),
  });
}
