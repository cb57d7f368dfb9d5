import { assertParameter, assertPlanarAudio } from './assert-planar-audio.ts';
import { frameMeanSquare } from './frame-mean-square.ts';
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
  const plan = planSegments(audio, options, what);
  if (channels === 'average') return spectrumOf(plan, averagePowers(plan));
  assertMonoOrStereo(audio, what);
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
  const what = 'measureMidSidePowerSpectra';
  const plan = planSegments(audio, options, what);
  assertMonoOrStereo(audio, what);
  const { mid, side } = midSidePowers(plan);
  return { mid: spectrumOf(plan, mid), side: spectrumOf(plan, side) };
}

/** The validated segmentation of one measurement: where the kept segments start, and the window. */
interface SegmentPlan {
  readonly audio: PlanarAudio;
  readonly fftSizeSamples: number;
  /** N, or the audio's length when it is shorter than one segment. */
  readonly windowLengthSamples: number;
  /** Start samples of the segments that passed the gate, ascending. */
  readonly starts: readonly number[];
  readonly skippedSegmentCount: number;
}

function planSegments(
  audio: PlanarAudio,
  options: Omit<WelchOptions, 'channels'>,
  what: string,
): SegmentPlan {
  assertPlanarAudio(audio, what);
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

  const { channels } = audio;
  const lengthSamples = channels[0]!.length;
  const windowLengthSamples = Math.min(fftSizeSamples, lengthSamples);
  const hopSamples = Math.max(1, Math.round(fftSizeSamples * (1 - overlapRatio)));
  const allStarts: number[] = [];
  if (windowLengthSamples > 0) {
    for (let start = 0; start + windowLengthSamples <= lengthSamples; start += hopSamples) {
      allStarts.push(start);
    }
  }
  const starts = activityGate ? activeSegments(channels, allStarts, windowLengthSamples) : allStarts;
  return {
    audio,
    fftSizeSamples,
    windowLengthSamples,
    starts,
    skippedSegmentCount: allStarts.length - starts.length,
  };
}

/** The starts whose segment passes the two-stage gate of {@link WelchOptions.activityGate}. */
function activeSegments(
  channels: readonly Float32Array[],
  starts: readonly number[],
  lengthSamples: number,
): number[] {
  const meanSquares = starts.map((start) => frameMeanSquare(channels, start, lengthSamples));
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

function assertMonoOrStereo(audio: PlanarAudio, what: string): void {
  const channelCount = audio.channels.length;
  assertParameter(channelCount <= 2, what, 'channel count for mid/side', channelCount);
}

/**
 * Σ over kept segments and channels of `|X_k|²`, `k = 0 … N/2`. The frames (segment, channel)
 * go two at a time through one complex transform; an odd last frame pairs with silence.
 */
function averagePowers(plan: SegmentPlan): Float64Array {
  const { audio, fftSizeSamples, windowLengthSamples, starts } = plan;
  const powers = new Float64Array(fftSizeSamples / 2 + 1);
  if (starts.length === 0) return powers;
  const spectrum = new RealSpectrum(fftSizeSamples, windowLengthSamples);
  let pending: Float32Array | undefined;
  let pendingStart = 0;
  for (const start of starts) {
    for (const channel of audio.channels) {
      if (pending === undefined) {
        pending = channel;
        pendingStart = start;
        continue;
      }
      spectrum.loadPair(pending, pendingStart, channel, start);
      spectrum.addPairPower(powers);
      pending = undefined;
    }
  }
  if (pending !== undefined) {
    spectrum.loadPair(pending, pendingStart, new Float32Array(windowLengthSamples), 0);
    spectrum.addPairPower(powers);
  }
  normalise(powers, spectrum, starts.length * audio.channels.length);
  return powers;
}

/**
 * Σ over kept segments of `|M_k|²` and `|S_k|²` for mono or stereo. For stereo, `L + iR` is
 * transformed and separated into `L_k` and `R_k`, then `M_k = (L_k + R_k)/2`,
 * `S_k = (L_k − R_k)/2` (linearity); mono is its own mid, with a zero side.
 */
function midSidePowers(plan: SegmentPlan): { mid: Float64Array; side: Float64Array } {
  const { audio, fftSizeSamples, windowLengthSamples, starts } = plan;
  const halfSize = fftSizeSamples / 2;
  const side = new Float64Array(halfSize + 1);
  if (audio.channels.length === 1) return { mid: averagePowers(plan), side };
  const mid = new Float64Array(halfSize + 1);
  if (starts.length === 0) return { mid, side };
  const spectrum = new RealSpectrum(fftSizeSamples, windowLengthSamples);
  const { bins, secondBins } = spectrum;
  const left = audio.channels[0]!;
  const right = audio.channels[1]!;
  for (const start of starts) {
    spectrum.loadPair(left, start, right, start);
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
  const { sampleRateHz } = plan.audio;
  return {
    sampleRateHz,
    fftSizeSamples: plan.fftSizeSamples,
    binWidthHz: sampleRateHz / plan.fftSizeSamples,
    powers,
    segmentCount: plan.starts.length,
    skippedSegmentCount: plan.skippedSegmentCount,
  };
}
