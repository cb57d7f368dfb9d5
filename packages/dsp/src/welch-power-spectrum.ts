import { assertParameter, assertPlanarAudio } from './assert-planar-audio.ts';
import { frameMeanSquare } from './frame-mean-square.ts';
import { type FrameSource, planarFrameSource } from './frame-source.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { RealSpectrum } from './real-spectrum.ts';

/**
 * Which signal a {@link measureWelchPowerSpectrum} describes: `'average'` the power spectra of
 * the channels averaged (not a downmix: anti-phase channels do not cancel), `'mid'` the
 * spectrum of `(L + R) / 2`, `'side'` that of `(L − R) / 2`.
 */
export type SpectrumChannels = 'average' | 'mid' | 'side';

/** A one-sided long-term power spectrum on the linear FFT grid. */
export interface PowerSpectrum {
  readonly sampleRateHz: number;
  /** Transform (segment) length N. */
  readonly fftSizeSamples: number;
  /** `sampleRateHz / fftSizeSamples`: bin k lies at `k · binWidthHz`. */
  readonly binWidthHz: number;
  /**
   * Mean-square power per bin, `k = 0 … N/2` (`N/2 + 1` values): `2·|X_k|² / (N·Σw²)`, DC and
   * Nyquist counted once, averaged over segments (and channels), so the bins sum to the
   * signal's window-weighted mean square (full scale: a 0 dBFS sine sums to 0.5). White noise
   * of mean square σ² reads `σ² · binWidthHz / (sampleRateHz / 2)` per bin. All zero when no
   * segment was analysed.
   */
  readonly powers: Float64Array;
  /** Segments averaged. */
  readonly segmentCount: number;
  /** Segments the activity gate dropped. */
  readonly skippedSegmentCount: number;
}

/** Options of {@link measureWelchPowerSpectrum}. */
export interface WelchOptions {
  /** Segment and transform length N: a power of two, 16 to 1048576 (default 32768). */
  readonly segmentSamples?: number;
  /** Overlap of consecutive segments, 0 ≤ r < 1 (default 0.5: the hop is N/2). */
  readonly overlapRatio?: number;
  /**
   * Default `'average'` (any channel count). `'mid'` and `'side'` need mono or stereo: mono is
   * its own mid and has no side (every power 0).
   */
  readonly channels?: SpectrumChannels;
  /**
   * Default `false`. When `true`, only the music's active sections are averaged, by a
   * two-stage gate on plain (unweighted, unwindowed) mean square over all channels, after
   * ITU-R BS.1770-4 §2.5: a segment is dropped when its level is under −70 dBFS
   * (`10·log10` of the mean square), or more than 20 dB under the power mean of the segments
   * that pass −70 dBFS.
   */
  readonly activityGate?: boolean;
}

const DEFAULT_SEGMENT_SAMPLES = 32_768;
const MIN_SEGMENT_SAMPLES = 16;
/** 2²⁰: 24 s at 44.1 kHz per segment, 48 MiB of transform buffers. */
const MAX_SEGMENT_SAMPLES = 2 ** 20;
const DEFAULT_OVERLAP_RATIO = 0.5;
const ABSOLUTE_GATE_MEAN_SQUARE = 10 ** (-70 / 10);
const RELATIVE_GATE_RATIO = 10 ** (-20 / 10);
const SPECTRUM_CHANNELS: readonly SpectrumChannels[] = ['average', 'mid', 'side'];

/**
 * Long-term power spectrum by Welch's method (P. D. Welch, "The use of fast Fourier transform
 * for the estimation of power spectra", IEEE Trans. Audio Electroacoust. AU-15, 1967):
 * periodic Hann segments of N samples every `round(N·(1 − overlapRatio))` samples from sample
 * 0; a last partial segment is dropped. Each segment's one-sided power spectrum is normalised
 * to mean square (see {@link PowerSpectrum.powers}) and segments (and, for `'average'`,
 * channels) are averaged as power.
 *
 * Audio shorter than one segment is analysed as one segment holding all of it with a Hann
 * window of its own length, zero-padded to N (the bins keep the N-point grid, the resolution
 * is that of the shorter window). Empty audio, or every segment gated, gives 0 segments and
 * zero powers.
 *
 * Cost: one complex FFT of size N per segment for stereo (two real frames share one complex
 * transform: channel pairs for `'average'`, left and right for mid and side, consecutive
 * segments for mono); 3 min stereo at 44.1 kHz with the defaults is 483 transforms of 32768.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio, an option out of range, or
 *   `'mid'`/`'side'` on more than two channels.
 */
export function measureWelchPowerSpectrum(audio: PlanarAudio, options: WelchOptions = {}): PowerSpectrum {
  const what = 'measureWelchPowerSpectrum';
  const channels = options.channels ?? 'average';
  assertParameter(SPECTRUM_CHANNELS.includes(channels), what, 'channels', channels);
  assertPlanarAudio(audio, what);
  const plan = planSegments(planarFrameSource(audio), options, what);
  if (channels === 'average') return spectrumOf(plan, averagePowers(plan));
  assertMonoOrStereo(plan.source, what);
  const { mid, side } = midSidePowers(plan);
  return spectrumOf(plan, channels === 'mid' ? mid : side);
}

/**
 * The mid `(L + R) / 2` and side `(L − R) / 2` spectra of `audio` in one pass, as
 * {@link measureWelchPowerSpectrum} with `channels: 'mid'` and `'side'` would give them
 * separately: one complex transform of `L + iR` per segment serves both, and the activity gate
 * decides once per segment for both (so both have the same segment counts). Mono audio is
 * its own mid and has no side (every power 0).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio, an option out of range, or
 *   more than two channels.
 */
export function measureMidSidePowerSpectra(
  audio: PlanarAudio,
  options: Omit<WelchOptions, 'channels'> = {},
): { readonly mid: PowerSpectrum; readonly side: PowerSpectrum } {
  assertPlanarAudio(audio, 'measureMidSidePowerSpectra');
  return measureMidSidePowerSpectraOf(planarFrameSource(audio), options);
}

/**
 * {@link measureMidSidePowerSpectra} of a programme read through a {@link FrameSource} (e.g. a
 * long file on disk): each segment is read into buffers of its own (twice for the activity
 * gate: once for its level, once to transform it). Same result as `measureMidSidePowerSpectra`
 * of the same audio.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an option out of range or more than two channels.
 */
export function measureMidSidePowerSpectraOf(
  source: FrameSource,
  options: Omit<WelchOptions, 'channels'> = {},
): { readonly mid: PowerSpectrum; readonly side: PowerSpectrum } {
  const what = 'measureMidSidePowerSpectra';
  const plan = planSegments(source, options, what);
  assertMonoOrStereo(source, what);
  const { mid, side } = midSidePowers(plan);
  return { mid: spectrumOf(plan, mid), side: spectrumOf(plan, side) };
}

/** The validated segmentation of one measurement: where the kept segments start, and the window. */
interface SegmentPlan {
  readonly source: FrameSource;
  readonly fftSizeSamples: number;
  /** N, or the audio's length when it is shorter than one segment. */
  readonly windowLengthSamples: number;
  /** Start samples of the segments that passed the gate, ascending. */
  readonly starts: readonly number[];
  readonly skippedSegmentCount: number;
}

function planSegments(
  source: FrameSource,
  options: Omit<WelchOptions, 'channels'>,
  what: string,
): SegmentPlan {
  const fftSizeSamples = options.segmentSamples ?? DEFAULT_SEGMENT_SAMPLES;
  assertParameter(
    Number.isInteger(fftSizeSamples) &&
      fftSizeSamples >= MIN_SEGMENT_SAMPLES &&
      fftSizeSamples <= MAX_SEGMENT_SAMPLES &&
      (fftSizeSamples & (fftSizeSamples - 1)) === 0,
    what,
    'segmentSamples',
    fftSizeSamples,
  );
  const overlapRatio = options.overlapRatio ?? DEFAULT_OVERLAP_RATIO;
  assertParameter(overlapRatio >= 0 && overlapRatio < 1, what, 'overlapRatio', overlapRatio);
  const activityGate = options.activityGate ?? false;
  assertParameter(typeof activityGate === 'boolean', what, 'activityGate', activityGate);

  const { lengthSamples } = source;
  const windowLengthSamples = Math.min(fftSizeSamples, lengthSamples);
  const hopSamples = Math.max(1, Math.round(fftSizeSamples * (1 - overlapRatio)));
  const allStarts: number[] = [];
  if (windowLengthSamples > 0) {
    for (let start = 0; start + windowLengthSamples <= lengthSamples; start += hopSamples) {
      allStarts.push(start);
    }
  }
  const starts = activityGate ? activeSegments(source, allStarts, windowLengthSamples) : allStarts;
  return {
    source,
    fftSizeSamples,
    windowLengthSamples,
    starts,
    skippedSegmentCount: allStarts.length - starts.length,
  };
}

/** The starts whose segment passes the two-stage gate of {@link WelchOptions.activityGate}. */
function activeSegments(source: FrameSource, starts: readonly number[], lengthSamples: number): number[] {
  const segment = Array.from({ length: source.channelCount }, () => new Float32Array(lengthSamples));
  const meanSquares = starts.map((start) => {
    source.read(start, segment);
    return frameMeanSquare(segment, 0, lengthSamples);
  });
  let sum = 0;
  let count = 0;
  for (const meanSquare of meanSquares) {
    if (meanSquare >= ABSOLUTE_GATE_MEAN_SQUARE) {
      sum += meanSquare;
      count++;
    }
  }
  const gateMeanSquare = Math.max(
    ABSOLUTE_GATE_MEAN_SQUARE,
    (sum / Math.max(1, count)) * RELATIVE_GATE_RATIO,
  );
  return starts.filter((_, i) => meanSquares[i]! >= gateMeanSquare);
}

function assertMonoOrStereo(source: FrameSource, what: string): void {
  const { channelCount } = source;
  assertParameter(channelCount <= 2, what, 'channel count for mid/side', channelCount);
}

/**
 * Σ over kept segments and channels of `|X_k|²`, `k = 0 … N/2`. The frames (segment, channel)
 * go two at a time through one complex transform; an odd last frame pairs with silence.
 */
function averagePowers(plan: SegmentPlan): Float64Array {
  const { source, fftSizeSamples, windowLengthSamples, starts } = plan;
  const powers = new Float64Array(fftSizeSamples / 2 + 1);
  if (starts.length === 0) return powers;
  const spectrum = new RealSpectrum(fftSizeSamples, windowLengthSamples);
  // Segments alternate between two buffers: a frame left pending pairs with the next segment's.
  const buffers = [0, 1].map(() =>
    Array.from({ length: source.channelCount }, () => new Float32Array(windowLengthSamples)),
  );
  let pending: Float32Array | undefined;
  starts.forEach((start, i) => {
    const segment = buffers[i % 2]!;
    source.read(start, segment);
    for (const channel of segment) {
      if (pending === undefined) {
        pending = channel;
        continue;
      }
      spectrum.loadPair(pending, 0, channel, 0);
      spectrum.addPairPower(powers);
      pending = undefined;
    }
  });
  if (pending !== undefined) {
    spectrum.loadPair(pending, 0, new Float32Array(windowLengthSamples), 0);
    spectrum.addPairPower(powers);
  }
  normalise(powers, spectrum, starts.length * source.channelCount);
  return powers;
}

/**
 * Σ over kept segments of `|M_k|²` and `|S_k|²` for mono or stereo. For stereo, `L + iR` is
 * transformed and separated into `L_k` and `R_k`, then `M_k = (L_k + R_k)/2`,
 * `S_k = (L_k − R_k)/2` (linearity); mono is its own mid, with a zero side.
 */
function midSidePowers(plan: SegmentPlan): { mid: Float64Array; side: Float64Array } {
  const { source, fftSizeSamples, windowLengthSamples, starts } = plan;
  const halfSize = fftSizeSamples / 2;
  const side = new Float64Array(halfSize + 1);
  if (source.channelCount === 1) return { mid: averagePowers(plan), side };
  const mid = new Float64Array(halfSize + 1);
  if (starts.length === 0) return { mid, side };
  const spectrum = new RealSpectrum(fftSizeSamples, windowLengthSamples);
  const { bins, secondBins } = spectrum;
  const segment = [new Float32Array(windowLengthSamples), new Float32Array(windowLengthSamples)];
  const [left, right] = segment as [Float32Array, Float32Array];
  for (const start of starts) {
    source.read(start, segment);
    spectrum.loadPair(left, 0, right, 0);
    spectrum.transformPair();
    for (let k = 0; k <= halfSize; k++) {
      const lRe = bins[2 * k]!;
      const lIm = bins[2 * k + 1]!;
      const rRe = secondBins[2 * k]!;
      const rIm = secondBins[2 * k + 1]!;
      const sumRe = lRe + rRe;
      const sumIm = lIm + rIm;
      const differenceRe = lRe - rRe;
      const differenceIm = lIm - rIm;
      mid[k] = mid[k]! + 0.25 * (sumRe * sumRe + sumIm * sumIm);
      side[k] = side[k]! + 0.25 * (differenceRe * differenceRe + differenceIm * differenceIm);
    }
  }
  normalise(mid, spectrum, starts.length);
  normalise(side, spectrum, starts.length);
  return { mid, side };
}

/** Σ|X_k|² over `frameCount` frames → mean one-sided mean-square power per bin, in place. */
function normalise(powers: Float64Array, spectrum: RealSpectrum, frameCount: number): void {
  const halfSize = spectrum.fftSizeSamples / 2;
  const scale = 2 / (spectrum.fftSizeSamples * spectrum.windowPowerSum * frameCount);
  for (let k = 0; k <= halfSize; k++) powers[k] = powers[k]! * scale;
  // DC and Nyquist have no mirror image in the one-sided spectrum.
  powers[0] = powers[0]! / 2;
  powers[halfSize] = powers[halfSize]! / 2;
}

function spectrumOf(plan: SegmentPlan, powers: Float64Array): PowerSpectrum {
  const { sampleRateHz } = plan.source;
  return {
    sampleRateHz,
    fftSizeSamples: plan.fftSizeSamples,
    binWidthHz: sampleRateHz / plan.fftSizeSamples,
    powers,
    segmentCount: plan.starts.length,
    skippedSegmentCount: plan.skippedSegmentCount,
  };
}
