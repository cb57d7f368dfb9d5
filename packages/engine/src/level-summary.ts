import type { Levels, LoudnessSummary } from '@lacquer/dsp';

/** The headline figures of a programme: EBU R128 loudness and peaks, PLR, RMS, crest factor. */
export interface LevelSummary extends LoudnessSummary {
  /** Peak-to-loudness ratio, true peak − integrated loudness (EBU R128 s1 / AES TD1008), dB. */
  readonly plrDb: number;
  /** RMS over all channels, dBFS (a full-scale sine reads −3.01). */
  readonly rmsDbfs: number;
  /** Sample peak − RMS, dB; `null` for silence. */
  readonly crestFactorDb: number | null;
}

/** Builds (or, given a wider object, picks) the {@link LevelSummary} fields. */
export function levelSummary(
  loudness: LoudnessSummary,
  levels: Pick<Levels, 'rmsDbfs' | 'crestFactorDb'>,
): LevelSummary {
  return {
    integratedLufs: loudness.integratedLufs,
    loudnessRangeLu: loudness.loudnessRangeLu,
    momentaryMaxLufs: loudness.momentaryMaxLufs,
    shortTermMaxLufs: loudness.shortTermMaxLufs,
    truePeakDbtp: loudness.truePeakDbtp,
    samplePeakDbfs: loudness.samplePeakDbfs,
    plrDb: loudness.truePeakDbtp - loudness.integratedLufs,
    rmsDbfs: levels.rmsDbfs,
    crestFactorDb: levels.crestFactorDb,
  };
}
