import FFT from 'fft.js';
import { assertParameter } from './assert-planar-audio.ts';

/**
 * A streaming linear-phase FIR by FFT convolution (overlap-save), for taps such as
 * {@link designLinearPhaseFir} returns. See {@link createFftFirFilter}.
 */
export interface FftFirFilter {
  /**
   * `frameLengthSamples − (L − 1)/2`: the FFT frame's new samples (the hop) are buffered
   * before they are filtered, plus the taps' own group delay `(L − 1)/2`. Output sample
   * `n + latencySamples` is the zero-phase filtered input at sample `n`.
   */
  readonly latencySamples: number;
  /**
   * Filters a block of any length (0 included); `output` must have the same length and may
   * be `input` itself. Output lags input by {@link FftFirFilter.latencySamples} (zeros before
   * the first input has come through). Does not allocate.
   */
  process(input: Float32Array, output: Float32Array): void;
  /** Back to silence: as newly created. */
  reset(): void;
}

/** Smallest FFT frame: below this, per-block overhead dominates short filters. */
const MIN_FRAME_LENGTH_SAMPLES = 4096;

/**
 * The overlap-save frame length for linear-phase taps of `tapsLengthSamples`: the smallest
 * power of two ≥ 4·(L − 1) and ≥ 4096 (65536 for 16385 taps: each frame yields
 * 65536 − 16384 = 49152 output samples). Measured with 16385 taps on fft.js (mid/side, 3 min
 * of 44.1 kHz stereo): frames of 2·(L − 1) take about 35 % longer (a third of each frame is
 * history); 4·, 8· and 16·(L − 1) are within the measurement noise of each other, and 4· needs
 * the least memory. With `signalLengthSamples`, never more than the one frame that holds the
 * whole signal and the filter's ramp on both sides (an offline call on a short signal).
 *
 * Internal to the FIR modules.
 */
export function fftFrameLengthSamples(tapsLengthSamples: number, signalLengthSamples = Infinity): number {
  const spanSamples = tapsLengthSamples - 1;
  const limitSamples = Math.max(8, signalLengthSamples + spanSamples);
  let frameLengthSamples = MIN_FRAME_LENGTH_SAMPLES;
  while (frameLengthSamples < 4 * spanSamples) frameLengthSamples *= 2;
  while (frameLengthSamples / 2 >= limitSamples) frameLengthSamples /= 2;
  return frameLengthSamples;
}

/**
 * Boundary check of linear-phase taps: an odd length, finite values, exactly symmetric
 * (`taps[n] === taps[L − 1 − n]`). Symmetry makes the zero-phase spectrum real, which the
 * convolution relies on. Internal to the FIR modules.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` naming `parameter` otherwise.
 */
export function assertLinearPhaseTaps(taps: Float32Array, what: string, parameter = 'taps'): void {
  const length = taps.length;
  assertParameter(length % 2 === 1, what, `${parameter}.length`, length);
  for (let n = 0; n < length; n++) {
    const tap = taps[n]!;
    if (!Number.isFinite(tap) || tap !== taps[length - 1 - n]) {
      assertParameter(false, what, `${parameter}[${n}]`, tap);
    }
  }
}

/** Whether `taps` (odd length) is exactly 1 at the centre and 0 elsewhere. Internal. */
export function isUnitImpulse(taps: Float32Array): boolean {
  const centre = (taps.length - 1) / 2;
  for (let n = 0; n < taps.length; n++) if (taps[n] !== (n === centre ? 1 : 0)) return false;
  return true;
}

/**
 * The zero-phase spectrum of symmetric `taps` on an FFT of `frameLengthSamples` (> L, a power
 * of two): the taps centred on sample 0 (left half wrapped to the end), transformed. It is
 * real and even, `A_k = A_{N−k}`; bins `k = 0 … N/2` are returned. Internal.
 */
export function zeroPhaseSpectrum(taps: Float32Array, frameLengthSamples: number): Float64Array {
  const halfLengthSamples = (taps.length - 1) / 2;
  const centred = new Float64Array(frameLengthSamples);
  for (let n = 0; n <= halfLengthSamples; n++) {
    centred[n] = taps[halfLengthSamples + n]!;
    if (n > 0) centred[frameLengthSamples - n] = taps[halfLengthSamples - n]!;
  }
  const bins = new Float64Array(2 * frameLengthSamples);
  new FFT(frameLengthSamples).realTransform(bins, centred);
  const spectrum = new Float64Array(frameLengthSamples / 2 + 1);
  for (let k = 0; k < spectrum.length; k++) spectrum[k] = bins[2 * k]!;
  return spectrum;
}

/**
 * One overlap-save step for two real sequences packed as one complex frame, shared by the
 * FIR modules (internal): `output = IFFT(p_k·Z_k + i·q_k·conj(Z_{(M−k) mod M}))` with
 * `Z = FFT(input)`, real `p`, `q`, M = `fftSize`. With `Z = FFT(a + i·b)`, conjugate symmetry
 * gives `A_k = (Z_k + Z*_{M−k})/2` and `B_k = (Z_k − Z*_{M−k})/2i`, so any pair of real
 * zero-phase filters of a and b, and any real mix of the two results, has this form: one
 * complex FFT each way filters two real frames.
 *
 * `input` and `output` hold `2·fftSize` float64 values (interleaved complex); `convolve`
 * reads `input` and does not change it.
 */
export class PackedFftConvolver {
  readonly fftSize: number;
  readonly input: Float64Array;
  readonly output: Float64Array;
  private readonly fft: FFT;
  private readonly bins: Float64Array;
  private readonly direct: Float64Array;
  private readonly conjugate: Float64Array;
  /** `p ≡ 1`, `q ≡ 0`: `convolve` copies, so a unit impulse stays bit-exact. */
  private readonly identity: boolean;

  constructor(direct: Float64Array, conjugate: Float64Array, identity = false) {
    this.fftSize = direct.length;
    this.direct = direct;
    this.conjugate = conjugate;
    this.identity = identity;
    this.fft = new FFT(this.fftSize);
    this.input = new Float64Array(2 * this.fftSize);
    this.output = new Float64Array(2 * this.fftSize);
    this.bins = new Float64Array(2 * this.fftSize);
  }

  /**
   * For one real channel: a frame of `frameLengthSamples` real samples is `frameLengthSamples/2`
   * complex values (even samples real, odd imaginary), the FFT half the frame's size. With
   * X the frame's spectrum and A the taps' zero-phase spectrum (N = frame length, M = N/2,
   * θ_k = 2πk/N), the even and odd samples' spectra are `E_k = (Z_k + Z*_{M−k})/2` and
   * `O_k = (Z_k − Z*_{M−k})/2i`, `X_k = E_k + e^{−iθ_k}·O_k`; filtering by A and packing the
   * result the same way gives `p_k = c_k − d_k·sin θ_k`, `q_k = d_k·cos θ_k` with
   * `c_k = (A_k + A_{k+M})/2`, `d_k = (A_k − A_{k+M})/2`.
   */
  static forChannel(taps: Float32Array, frameLengthSamples: number): PackedFftConvolver {
    const spectrum = zeroPhaseSpectrum(taps, frameLengthSamples);
    const fftSize = frameLengthSamples / 2;
    const direct = new Float64Array(fftSize);
    const conjugate = new Float64Array(fftSize);
    for (let k = 0; k < fftSize; k++) {
      // A_{k+M} = A_{M−k} by evenness.
      const sum = 0.5 * (spectrum[k]! + spectrum[fftSize - k]!);
      const difference = 0.5 * (spectrum[k]! - spectrum[fftSize - k]!);
      const angle = (2 * Math.PI * k) / frameLengthSamples;
      direct[k] = sum - difference * Math.sin(angle);
      conjugate[k] = difference * Math.cos(angle);
    }
    return new PackedFftConvolver(direct, conjugate, isUnitImpulse(taps));
  }

  /** Filters `input` into `output`. Does not allocate. */
  convolve(): void {
    const { bins, direct, conjugate, fftSize } = this;
    if (this.identity) {
      this.output.set(this.input);
      return;
    }
    this.fft.transform(bins, this.input);
    // Bins k and M − k need each other's input: update them as a pair (k = 0 and k = M/2
    // are their own partners).
    for (let k = 0; k <= fftSize / 2; k++) {
      const m = k === 0 ? 0 : fftSize - k;
      const kRe = bins[2 * k]!;
      const kIm = bins[2 * k + 1]!;
      const mRe = bins[2 * m]!;
      const mIm = bins[2 * m + 1]!;
      const pk = direct[k]!;
      const qk = conjugate[k]!;
      // i·q·conj(Z) = q·(Im Z + i·Re Z).
      bins[2 * k] = pk * kRe + qk * mIm;
      bins[2 * k + 1] = pk * kIm + qk * mRe;
      if (m !== k) {
        const pm = direct[m]!;
        const qm = conjugate[m]!;
        bins[2 * m] = pm * mRe + qm * kIm;
        bins[2 * m + 1] = pm * mIm + qm * kRe;
      }
    }
    // fft.js's inverse divides by the size: a true inverse.
    this.fft.inverseTransform(this.output, bins);
  }
}

/**
 * Creates a streaming linear-phase FIR filter by FFT convolution (overlap-save on fft.js):
 * each frame of {@link fftFrameLengthSamples} samples holds `L − 1` samples of history and
 * `frameLength − (L − 1)` new ones; the whole real frame goes through one complex FFT of
 * half its size each way ({@link PackedFftConvolver.forChannel}). For 16385 taps: about
 * 0.35 s per 8 M samples (3 min at 44.1 kHz, one 2-core machine, Node 20), latency 57344
 * samples (1.3 s at 44.1 kHz), memory about 2.6 MB (five float64 values per frame sample)
 * whatever the length of the stream. For a whole signal in memory, `applyFirInPlace` needs no
 * buffering delay and is time-aligned.
 *
 * `taps`: odd length, finite, exactly symmetric (as {@link designLinearPhaseFir} returns);
 * latency {@link FftFirFilter.latencySamples}. A unit impulse passes samples through
 * bit-exactly (delayed).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for taps that are not of that form.
 */
export function createFftFirFilter(taps: Float32Array): FftFirFilter {
  assertLinearPhaseTaps(taps, 'createFftFirFilter');
  const spanSamples = taps.length - 1;
  const halfLengthSamples = spanSamples / 2;
  const frameLengthSamples = fftFrameLengthSamples(taps.length);
  const convolver = PackedFftConvolver.forChannel(taps, frameLengthSamples);
  const { input: frame, output: filtered } = convolver;
  const hopSamples = frameLengthSamples - spanSamples;
  // Frame samples 0 … L − 2 are history; new input goes from here up to the frame's end.
  let filledSamples = spanSamples;

  return {
    latencySamples: frameLengthSamples - halfLengthSamples,
    process(input, output) {
      assertParameter(output.length === input.length, 'FftFirFilter.process', 'output.length', output.length);
      let offset = 0;
      while (offset < input.length) {
        const count = Math.min(input.length - offset, frameLengthSamples - filledSamples);
        // The last frame's valid output, frame samples (L − 1)/2 … frame − (L − 1)/2 − 1, goes
        // out one hop later. Input is read before output is written at each index (in place).
        const readFrom = filledSamples - halfLengthSamples;
        for (let i = 0; i < count; i++) {
          frame[filledSamples + i] = input[offset + i]!;
          output[offset + i] = filtered[readFrom + i]!;
        }
        offset += count;
        filledSamples += count;
        if (filledSamples === frameLengthSamples) {
          convolver.convolve();
          frame.copyWithin(0, hopSamples, frameLengthSamples);
          filledSamples = spanSamples;
        }
      }
    },
    reset() {
      frame.fill(0);
      filtered.fill(0);
      filledSamples = spanSamples;
    },
  };
}
