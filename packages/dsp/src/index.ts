// Public entry of @lacquer/dsp: every export is listed by name.

// Processors
export { type ApplyProcessorOptions, applyProcessor } from './apply-processor.ts';
// Loudness and true peak (ITU-R BS.1770-4, EBU Tech 3341/3342)
export type { BiquadCoefficients } from './biquad-coefficients.ts';
export {
  type BiquadDesignOptions,
  type ButterworthDesignOptions,
  designButterworthHighPass,
  designHighPass,
  designHighShelf,
  designLowPass,
  designLowShelf,
  designPeaking,
  type PassDesignOptions,
  type PeakingDesignOptions,
  type ShelfDesignOptions,
} from './biquad-design.ts';
export { type BiquadCascadeOptions, biquadMagnitudeDb, createBiquadCascade } from './biquad-filter.ts';
export { defaultChannelWeights } from './channel-weights.ts';
export {
  type ClippingDetector,
  type ClippingDetectorOptions,
  createClippingDetector,
} from './clipping-detector.ts';
export {
  type Compressor,
  type CompressorCurve,
  type CompressorOptions,
  compressorStaticCurveDb,
  createCompressor,
} from './compressor.ts';
export { dbToLinear, dbToPower, linearToDb, powerToDb } from './decibels.ts';
// Analysis features
export {
  type ClippingOptions,
  type ClippingReport,
  type ClipRun,
  DEFAULT_CLIP_THRESHOLD_LINEAR,
  DEFAULT_MAX_LISTED_CLIP_RUNS,
  DEFAULT_MIN_CLIP_RUN_SAMPLES,
  detectClipping,
} from './detect-clipping.ts';
export {
  detectSilence,
  type SilenceOptions,
  type SilenceReport,
  type SilentRegion,
} from './detect-silence.ts';
export {
  estimateKey,
  estimateKeyOf,
  type KeyEstimate,
  type KeyMode,
  PITCH_CLASSES,
  type PitchClass,
} from './estimate-key.ts';
export {
  createTempoEstimator,
  estimateTempo,
  type TempoEstimate,
  type TempoEstimator,
} from './estimate-tempo.ts';
export { createFftFirFilter, type FftFirFilter } from './fft-fir-filter.ts';
export {
  findLoudestSection,
  type LoudestSection,
  type LoudestSectionOptions,
  type ShortTermLoudnessPoint,
} from './find-loudest-section.ts';
export { type FrameSource, type FrameStore, planarFrameSource } from './frame-source.ts';
export { ABSOLUTE_GATE_LUFS, gatedIntegratedLoudness, RELATIVE_GATE_LU } from './integrated-loudness.ts';

// Offline true-peak limiting (whole programme in memory)
export { kWeightedPower } from './k-weighted-power.ts';
export { kWeightingCoefficients } from './k-weighting.ts';
export { createKWeightingFilter, type KWeightingFilter } from './k-weighting-filter.ts';
export { createLevelsMeter, type LevelsMeter } from './levels-meter.ts';
export {
  type LimiterGainCurveOptions,
  type LimiterTiming,
  limiterGainCurve,
  lookaheadPeaks,
} from './limiter-gain-curve.ts';
export { createLimiterGainReader, type LimiterGainReader } from './limiter-gain-reader.ts';
export {
  defaultFirLengthSamples,
  designLinearPhaseFir,
  interpolateLogFrequency,
  type LinearPhaseFirOptions,
} from './linear-phase-fir.ts';
export {
  createLinearPhaseFirStream,
  type LinearPhaseFirStream,
  type LinearPhaseFirStreamOptions,
} from './linear-phase-fir-stream.ts';
export {
  type LogFrequencySpectrum,
  type LogGridOptions,
  toLogFrequencySpectrum,
} from './log-frequency-spectrum.ts';
export {
  analyzeLoudness,
  createLoudnessAnalyzer,
  integratedLoudness,
  type LoudnessAnalyzer,
  type LoudnessMeasures,
  type LoudnessSummary,
  loudnessMeasures,
} from './loudness-analyzer.ts';
export {
  createLoudnessMeter,
  type HopEnergies,
  type LoudnessMeter,
  type LoudnessMeterOptions,
} from './loudness-meter.ts';
export { loudnessRangeLu } from './loudness-range.ts';
export { energyToLufs, type LoudnessSeries, seriesMaxLufs, slidingLoudness } from './loudness-series.ts';
export { type ChannelLevels, type Levels, measureLevels } from './measure-levels.ts';
export { measureStereo, type StereoImage } from './measure-stereo.ts';
export {
  measureThirdOctaveSpectrum,
  measureThirdOctaveSpectrumOf,
  type ThirdOctaveBand,
  type ThirdOctaveSpectrum,
  type ThirdOctaveSpectrumOptions,
} from './measure-third-octave-spectrum.ts';
export { applyFirInPlace, applyMidSideFirInPlace } from './mid-side-fir.ts';
// Core types
export {
  allocatePlanar,
  durationSeconds,
  frameCount,
  type PlanarAudio,
  sliceFrames,
} from './planar-audio.ts';
export type { Processor } from './processor.ts';
export { scaledFftSize } from './real-spectrum.ts';
export {
  createSilenceDetector,
  type SilenceDetector,
  type SilenceDetectorOptions,
} from './silence-detector.ts';
export { createStereoMeter, type StereoMeter } from './stereo-meter.ts';
export {
  measureTonalBalance,
  TONAL_BALANCE_CENTRES_HZ,
  type TonalBalance,
  tonalBalanceOfSpectrum,
  tonalDistanceDb,
} from './tonal-balance.ts';
// Dither
export { createTpdfDither, type TpdfDither, type TpdfDitherOptions } from './tpdf-dither.ts';
export { type TruePeakEnvelopeOptions, truePeakEnvelope } from './true-peak-envelope.ts';
export {
  createTruePeakInterpolator,
  type TruePeakInterpolator,
  truePeakOversamplingFactor,
} from './true-peak-interpolator.ts';
export {
  createTruePeakLimiter,
  TRUE_PEAK_LIMITER_MARGIN_DB,
  TRUE_PEAK_LIMITER_MIN_RAMP_SAMPLES,
  type TruePeakLimiter,
  type TruePeakLimiterOptions,
} from './true-peak-limiter.ts';
export { createPeakMeter, type PeakMeter, type PeakMeterOptions } from './true-peak-meter.ts';
export {
  measureMidSidePowerSpectra,
  measureMidSidePowerSpectraOf,
  measureWelchPowerSpectrum,
  type PowerSpectrum,
  type SpectrumChannels,
  type WelchOptions,
} from './welch-power-spectrum.ts';
