// Public entry of @lacquer/dsp: every export is listed by name.

// Core types
export { allocatePlanar, durationSeconds, frameCount, sliceFrames, type PlanarAudio } from './planar-audio.ts';
export type { Processor } from './processor.ts';
export { dbToLinear, dbToPower, linearToDb, powerToDb } from './decibels.ts';

// Loudness and true peak (ITU-R BS.1770-4, EBU Tech 3341/3342)
export type { BiquadCoefficients } from './biquad-coefficients.ts';
export { defaultChannelWeights } from './channel-weights.ts';
export { ABSOLUTE_GATE_LUFS, RELATIVE_GATE_LU, gatedIntegratedLoudness } from './integrated-loudness.ts';
export { kWeightingCoefficients } from './k-weighting.ts';
export {
  analyzeLoudness,
  createLoudnessAnalyzer,
  type LoudnessAnalyzer,
  type LoudnessMeasures,
} from './loudness-analyzer.ts';
export { createLoudnessMeter, type HopEnergies, type LoudnessMeter, type LoudnessMeterOptions } from './loudness-meter.ts';
export { loudnessRangeLu } from './loudness-range.ts';
export { energyToLufs, type LoudnessSeries, seriesMaxLufs, slidingLoudness } from './loudness-series.ts';
export { createPeakMeter, type PeakMeter } from './true-peak-meter.ts';
export {
  createTruePeakInterpolator,
  type TruePeakInterpolator,
  truePeakOversamplingFactor,
} from './true-peak-interpolator.ts';
