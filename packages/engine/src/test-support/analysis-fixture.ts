import type { ThirdOctaveSpectrum } from '@lacquer/dsp';
import type { Analysis } from '../analysis.ts';
import type { MidSideSpectrum } from '../spectral-features.ts';
import { CURVE_CENTRES_HZ, TONAL_CURVES, type TonalCurve } from '../tonal-curve.ts';

/** Integrated loudness of the fixture mix, LUFS. */
export const FIXTURE_LOUDNESS_LUFS = -18;

/** The match EQ's grid as `measureSpectralFeatures` builds it: 20 Hz … 20 kHz, 24 points per octave. */
export const LOG_GRID_HZ: readonly number[] = Array.from(
  { length: Math.floor(24 * Math.log2(20_000 / 20)) + 1 },
  (_, j) => 20 * 2 ** (j / 24),
);

/**
 * A tonal balance (`Analysis.tonalBalanceDb`) on `curve` (default balanced), each band moved by
 * `deviationDb(band centre)`.
 */
export function tonalBalanceOf(
  deviationDb: (frequencyHz: number) => number = () => 0,
  curve: TonalCurve = TONAL_CURVES.balanced,
): number[] {
  return curve.bandsDb.map((levelDb, i) => levelDb + deviationDb(CURVE_CENTRES_HZ[i]!));
}

/** Where mid and side of {@link midSideOf} sit, as functions of frequency (dB). */
export interface MidSideShape {
  /** Mid power density, dB (default pink: −60 dB at 1 kHz, −3 dB per octave). */
  readonly midDb?: (frequencyHz: number) => number;
  /**
   * Side level under the mid, dB (default 24 dB under 150 Hz, 9 dB above: a mix whose bass
   * is near mono, side −10 dB overall, like the corpus masters).
   */
  readonly sideUnderMidDb?: (frequencyHz: number) => number;
}

export const PINK_MID_DB = (frequencyHz: number): number => -60 - 10 * Math.log10(frequencyHz / 1000);
const HEALTHY_SIDE_UNDER_MID_DB = (frequencyHz: number): number => (frequencyHz < 150 ? 24 : 9);

/** A long-term mid/side spectrum on {@link LOG_GRID_HZ} (`Analysis.midSide`). */
export function midSideOf(shape: MidSideShape = {}): MidSideSpectrum {
  const midDb = shape.midDb ?? PINK_MID_DB;
  const sideUnderMidDb = shape.sideUnderMidDb ?? HEALTHY_SIDE_UNDER_MID_DB;
  return {
    frequenciesHz: [...LOG_GRID_HZ],
    midDb: LOG_GRID_HZ.map(midDb),
    sideDb: LOG_GRID_HZ.map((hz) => midDb(hz) - sideUnderMidDb(hz)),
  };
}

/** `spectrum` with every level moved by `gainDb(frequency)`, mid and side alike unless told. */
export function shiftedMidSide(
  spectrum: MidSideSpectrum,
  gainDb: { readonly mid?: (frequencyHz: number) => number; readonly side?: (frequencyHz: number) => number },
): MidSideSpectrum {
  const { mid = () => 0, side = () => 0 } = gainDb;
  return {
    frequenciesHz: spectrum.frequenciesHz,
    midDb: spectrum.midDb.map((db, i) => db + mid(spectrum.frequenciesHz[i]!)),
    sideDb: spectrum.sideDb.map((db, i) => db + side(spectrum.frequenciesHz[i]!)),
  };
}

/** The one-third-octave spectrum of the fixture (not read by `decide`; kept plausible). */
function thirdOctaveSpectrumOf(tonalBalanceDb: readonly number[], loudnessLufs: number): ThirdOctaveSpectrum {
  return {
    bands: CURVE_CENTRES_HZ.map((hz, i) => ({
      centreFrequencyHz: hz,
      nominalCentreFrequencyHz: hz,
      lowerEdgeFrequencyHz: hz * 2 ** (-1 / 6),
      upperEdgeFrequencyHz: hz * 2 ** (1 / 6),
      levelDb: tonalBalanceDb[i]! + loudnessLufs,
    })),
    analyzedFrameCount: 100,
    skippedFrameCount: 0,
    fftSizeSamples: 8192,
  };
}

/**
 * The analysis of a plain, healthy stereo mix at {@link FIXTURE_LOUDNESS_LUFS}: on the
 * balanced curve, side 10 dB under mid (24 dB under it below 150 Hz), PLR 12 dB, LRA 6 LU,
 * peaks at −6 dBTP. Tests override what they are about.
 */
export function analysisOf(overrides: Partial<Analysis> = {}): Analysis {
  const tonalBalanceDb = overrides.tonalBalanceDb ?? tonalBalanceOf();
  const integratedLufs = overrides.integratedLufs ?? FIXTURE_LOUDNESS_LUFS;
  return {
    sampleRateHz: 44_100,
    channelCount: 2,
    durationSeconds: 180,
    integratedLufs,
    loudnessRangeLu: 6,
    momentaryMaxLufs: integratedLufs + 6,
    shortTermMaxLufs: integratedLufs + 4,
    truePeakDbtp: integratedLufs + 12,
    samplePeakDbfs: integratedLufs + 11.8,
    plrDb: 12,
    rmsDbfs: integratedLufs - 1,
    crestFactorDb: 12.8,
    dcOffsetLinear: [0, 0],
    stereo: { correlation: 0.8, sideToMidDb: -10, widthRatio: 0.09 },
    spectrum: thirdOctaveSpectrumOf(tonalBalanceDb, integratedLufs),
    tonalBalanceDb,
    midSide: midSideOf(),
    clipping: { clippedSampleCount: 0, runCount: 0, longestRunSamples: 0, runs: [] },
    silence: { regions: [], leadingSilenceSeconds: 0, trailingSilenceSeconds: 0, totalSilentSeconds: 0 },
    tempo: { tempoBpm: 120, confidence: 0.5 },
    key: { tonic: 'A', mode: 'minor', label: 'A minor', confidence: 0.4 },
    loudestSection: { startSeconds: 60, endSeconds: 90, loudnessLufs: integratedLufs + 3 },
    ...overrides,
  };
}

/** The analysis of {@link analysisOf} with its loudness figures moved by `gainDb` (spectra too). */
export function gainedAnalysis(analysis: Analysis, gainDb: number): Analysis {
  return {
    ...analysis,
    integratedLufs: analysis.integratedLufs + gainDb,
    momentaryMaxLufs: analysis.momentaryMaxLufs + gainDb,
    shortTermMaxLufs: analysis.shortTermMaxLufs + gainDb,
    truePeakDbtp: analysis.truePeakDbtp + gainDb,
    samplePeakDbfs: analysis.samplePeakDbfs + gainDb,
    rmsDbfs: analysis.rmsDbfs + gainDb,
    midSide: shiftedMidSide(analysis.midSide, { mid: () => gainDb, side: () => gainDb }),
  };
}
