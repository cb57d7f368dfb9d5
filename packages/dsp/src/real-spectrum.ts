import FFT from 'fft.js';

/** The rate the base transform sizes of the analysis features are chosen for. */
const REFERENCE_RATE_HZ = 44_100;

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
 * A reusable real-input FFT (fft.js, radix-4) with a periodic Hann window, for the
 * spectrum-based analysis features. Nothing is allocated after construction: load a frame
 * with {@link RealSpectrum.loadChannel} or {@link RealSpectrum.loadMix}, call
 * {@link RealSpectrum.transform}, then read bins `k = 0 … fftSizeSamples/2` from `bins`
 * (real part at `2k`, imaginary at `2k + 1`).
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
  private readonly fft: FFT;
  private readonly frame: Float64Array;

  constructor(fftSizeSamples: number, windowLengthSamples: number = fftSizeSamples) {
    this.fftSizeSamples = fftSizeSamples;
    this.windowLengthSamples = windowLengthSamples;
    this.fft = new FFT(fftSizeSamples);
    this.frame = new Float64Array(fftSizeSamples);
    this.bins = new Float64Array(2 * fftSizeSamples);
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
}
