import FFT from 'fft.js';

/** The rate the base transform sizes of the analysis features are chosen for. */
const REFERENCE_RATE_HZ = 44_100;
/** Golden-ratio conjugate `(√5 − 1)/2`: the step of the Weyl sequence that jitters spread frames. */
const GOLDEN_STEP = (Math.sqrt(5) - 1) / 2;

/**
 * A transform size that keeps the time and frequency resolution of `baseSizeSamples` at
 * 44.1 kHz (and 48 kHz) at other rates: `baseSizeSamples · 2^round(log2(sampleRateHz / 44100))`,
 * at least 64. For example 8192 at 44.1/48 kHz, 16384 at 88.2/96 kHz, 4096 at 22.05 kHz.
 */
export function scaledFftSize(baseSizeSamples: number, sampleRateHz: number): number {
  const octaves = Math.round(Math.log2(sampleRateHz / REFERENCE_RATE_HZ));
  return Math.max(64, baseSizeSamples * 2 ** octaves);
}

/**
 * Start samples of the analysis frames of a long-term average over `lengthSamples` samples,
 * ascending, for frames of `windowLengthSamples` (none if that is 0 or more than
 * `lengthSamples`).
 *
 * While that gives at most `maxFrameCount` frames, they start every `hopSamples` from
 * sample 0, plus one frame aligned to the end if samples remain. A longer signal gets exactly
 * `maxFrameCount` frames by stratified sampling: the start range
 * `0 … lengthSamples − windowLengthSamples` is cut into `maxFrameCount` equal strata and each
 * holds one frame, at the fraction `frac(½ + i·0.618…)` (a golden-ratio Weyl sequence) of
 * its stratum. Every part of the signal is represented, and the spacing alternates between
 * two lengths in the golden ratio instead of being periodic, so it cannot lock onto a steady
 * musical pulse and sample the same beat phase throughout.
 */
export function spreadFrameStarts(
  lengthSamples: number,
  windowLengthSamples: number,
  hopSamples: number,
  maxFrameCount: number,
): Int32Array {
  if (windowLengthSamples <= 0 || windowLengthSamples > lengthSamples) return new Int32Array(0);
  const lastStart = lengthSamples - windowLengthSamples;
  const hop = Math.max(1, Math.floor(hopSamples));
  const regularCount = Math.ceil(lastStart / hop) + 1;
  const frameCount = Math.max(1, Math.floor(maxFrameCount));
  if (regularCount <= frameCount) {
    const starts = new Int32Array(regularCount);
    for (let i = 0; i < regularCount; i++) starts[i] = Math.min(i * hop, lastStart);
    return starts;
  }
  const starts = new Int32Array(frameCount);
  const strideSamples = lastStart / frameCount;
  for (let i = 0; i < frameCount; i++) {
    const offset = (0.5 + i * GOLDEN_STEP) % 1;
    starts[i] = Math.floor((i + offset) * strideSamples);
  }
  return starts;
}

/**
 * A reusable real-input FFT (fft.js, radix-4) with a periodic Hann window, for the
 * spectrum-based analysis features. Nothing is allocated after construction: load a frame
 * with {@link RealSpectrum.loadChannel} or {@link RealSpectrum.loadMix}, call
 * {@link RealSpectrum.transform}, then read bins `k = 0 … fftSizeSamples/2` from `bins`
 * (real part at `2k`, imaginary at `2k + 1`).
 *
 * Two real frames cost one complex transform (fft.js's complex transform of size N takes
 * 0.4–0.75 of the time of two real ones, measured for N = 256 … 32768): load them with
 * {@link RealSpectrum.loadPair} or {@link RealSpectrum.loadMixPair}, then either call
 * {@link RealSpectrum.transformPair} and read the first frame's bins from `bins` and the
 * second's from `secondBins` (same layout), or add the sum of their power spectra to an
 * accumulator with {@link RealSpectrum.addPairPower}.
 *
 * The window is `windowLengthSamples` long (at most the transform size); the rest of the frame
 * is zero padding. Parseval for the one-sided spectrum:
 * `Σ_k c_k·|X_k|² = fftSizeSamples · Σ_n (x_n·w_n)²` with `c_k = 1` at DC and Nyquist, 2 elsewhere.
 */
export class RealSpectrum {
  readonly fftSizeSamples: number;
  readonly windowLengthSamples: number;
  /** Periodic Hann, `w_n = 0.5 − 0.5·cos(2πn/L)`: constant overlap-add at 50 % hop. */
  readonly window: Float64Array;
  /** `Σ w_n²`, for mean-square normalisation. */
  readonly windowPowerSum: number;
  /** `Σ w_n`, for amplitude normalisation (a sine of amplitude A peaks at A·Σw/2). */
  readonly windowSum: number;
  /** Interleaved complex output, `2 · fftSizeSamples` values; bins above Nyquist are not filled. */
  readonly bins: Float64Array;
  /** The second frame's bins after {@link RealSpectrum.transformPair}, `fftSizeSamples + 2` values. */
  readonly secondBins: Float64Array;
  private readonly fft: FFT;
  private readonly frame: Float64Array;
  /** Interleaved complex input of {@link RealSpectrum.transformPair}: first frame real, second imaginary. */
  private readonly pairFrame: Float64Array;

  constructor(fftSizeSamples: number, windowLengthSamples: number = fftSizeSamples) {
    this.fftSizeSamples = fftSizeSamples;
    this.windowLengthSamples = windowLengthSamples;
    this.fft = new FFT(fftSizeSamples);
    this.frame = new Float64Array(fftSizeSamples);
    this.bins = new Float64Array(2 * fftSizeSamples);
    this.secondBins = new Float64Array(fftSizeSamples + 2);
    this.pairFrame = new Float64Array(2 * fftSizeSamples);
    this.window = new Float64Array(windowLengthSamples);
    let powerSum = 0;
    let sum = 0;
    for (let n = 0; n < windowLengthSamples; n++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / windowLengthSamples);
      this.window[n] = w;
      powerSum += w * w;
      sum += w;
    }
    this.windowPowerSum = powerSum;
    this.windowSum = sum;
  }

  /** Windows `windowLengthSamples` samples of `signal` from `startSample` into the frame. */
  loadChannel(signal: Float32Array, startSample: number): void {
    const { frame, window } = this;
    const length = this.windowLengthSamples;
    for (let n = 0; n < length; n++) frame[n] = signal[startSample + n]! * window[n]!;
  }

  /** Windows the channel average (mono downmix) of `windowLengthSamples` frames from `startSample`. */
  loadMix(channels: readonly Float32Array[], startSample: number): void {
    const { frame, window } = this;
    const length = this.windowLengthSamples;
    const first = channels[0]!;
    if (channels.length === 1) {
      this.loadChannel(first, startSample);
      return;
    }
    const scale = 1 / channels.length;
    for (let n = 0; n < length; n++) frame[n] = first[startSample + n]!;
    for (let c = 1; c < channels.length; c++) {
      const channel = channels[c]!;
      for (let n = 0; n < length; n++) frame[n] = frame[n]! + channel[startSample + n]!;
    }
    for (let n = 0; n < length; n++) frame[n] = frame[n]! * scale * window[n]!;
  }

  /** Transforms the loaded frame into `bins` (bins 0 … N/2). */
  transform(): void {
    this.fft.realTransform(this.bins, this.frame);
  }

  /**
   * Windows `windowLengthSamples` samples of `first` from `firstStart` and of `second` from
   * `secondStart` as the two frames of {@link RealSpectrum.transformPair} or
   * {@link RealSpectrum.addPairPower} (two channels at one time, or two times of one signal).
   */
  loadPair(first: Float32Array, firstStart: number, second: Float32Array, secondStart: number): void {
    const { pairFrame, window } = this;
    const length = this.windowLengthSamples;
    for (let n = 0; n < length; n++) {
      const w = window[n]!;
      pairFrame[2 * n] = first[firstStart + n]! * w;
      pairFrame[2 * n + 1] = second[secondStart + n]! * w;
    }
  }

  /** {@link RealSpectrum.loadPair} for the channel average (mono downmix) at two start samples. */
  loadMixPair(channels: readonly Float32Array[], firstStart: number, secondStart: number): void {
    const { pairFrame, window } = this;
    const length = this.windowLengthSamples;
    const channelCount = channels.length;
    const scale = 1 / channelCount;
    for (let n = 0; n < length; n++) {
      let first = 0;
      let second = 0;
      for (let c = 0; c < channelCount; c++) {
        const channel = channels[c]!;
        first += channel[firstStart + n]!;
        second += channel[secondStart + n]!;
      }
      const w = scale * window[n]!;
      pairFrame[2 * n] = first * w;
      pairFrame[2 * n + 1] = second * w;
    }
  }

  /**
   * Transforms the loaded pair with one complex FFT of `z = a + i·b` and adds the sum of the
   * two frames' power spectra, `|A_k|² + |B_k|²`, to `power[k]` for `k = 0 … power.length − 1`
   * (at most N/2). By conjugate symmetry that sum is `(|Z_k|² + |Z_{N−k}|²) / 2`, so the
   * spectra need not be separated. `bins` and `secondBins` are left undefined.
   */
  addPairPower(power: Float64Array): void {
    const { bins } = this;
    const size = this.fftSizeSamples;
    const last = Math.min(power.length - 1, size / 2);
    this.fft.transform(bins, this.pairFrame);
    power[0] = power[0]! + bins[0]! * bins[0]! + bins[1]! * bins[1]!;
    for (let k = 1; k <= last; k++) {
      const mirror = 2 * (size - k);
      const zRe = bins[2 * k]!;
      const zIm = bins[2 * k + 1]!;
      const mRe = bins[mirror]!;
      const mIm = bins[mirror + 1]!;
      power[k] = power[k]! + 0.5 * (zRe * zRe + zIm * zIm + mRe * mRe + mIm * mIm);
    }
  }

  /**
   * Transforms the loaded pair with one complex FFT of `z = a + i·b` and separates the two
   * real spectra by conjugate symmetry, `A_k = (Z_k + Z*_{N−k}) / 2` into `bins` and
   * `B_k = (Z_k − Z*_{N−k}) / 2i` into `secondBins`: the same values as
   * {@link RealSpectrum.transform} of each frame, up to float64 round-off. Only bins
   * `0 … lastBin` (default `N/2`, at most `N/2`) are separated; the rest of both arrays is
   * undefined.
   */
  transformPair(lastBin: number = this.fftSizeSamples / 2): void {
    const { bins, secondBins } = this;
    const size = this.fftSizeSamples;
    const last = Math.min(lastBin, size / 2);
    this.fft.transform(bins, this.pairFrame);
    // DC pairs with itself; for 1 ≤ k ≤ N/2 the mirror N − k ≥ N/2 is never overwritten
    // before it is read (bin N/2 is its own mirror, read before written).
    secondBins[0] = bins[1]!;
    secondBins[1] = 0;
    bins[1] = 0;
    for (let k = 1; k <= last; k++) {
      const mirror = 2 * (size - k);
      const zRe = bins[2 * k]!;
      const zIm = bins[2 * k + 1]!;
      const mRe = bins[mirror]!;
      const mIm = bins[mirror + 1]!;
      bins[2 * k] = 0.5 * (zRe + mRe);
      bins[2 * k + 1] = 0.5 * (zIm - mIm);
      secondBins[2 * k] = 0.5 * (zIm + mIm);
      secondBins[2 * k + 1] = 0.5 * (mRe - zRe);
    }
  }
}
