import FFT from 'fft.js';
import { assertParameter } from './assert-planar-audio.ts';

/** Parameters of {@link designLinearPhaseFir}. */
export interface LinearPhaseFirOptions {
  /** Finite and positive. */
  readonly sampleRateHz: number;
  /**
   * Odd number of taps, 1 to 1 048 577 (2^20 + 1); latency is (lengthSamples − 1)/2. See
   * {@link defaultFirLengthSamples} for mastering EQ.
   */
  readonly lengthSamples: number;
  /**
   * Wanted magnitude response in dB at a frequency 0 … Nyquist: finite, or `-Infinity` for a
   * zero. Called once per design-grid bin (about 2·lengthSamples times), in ascending order.
   * It should be continuous: a step in the magnitude rings (Gibbs) across the whole band.
   */
  readonly gainDbAt: (frequencyHz: number) => number;
}

/** Taps of the default length at 44.1 and 48 kHz, less one: 2^14. */
const BASE_HALF_LENGTH_SAMPLES = 8192;
const REFERENCE_RATE_HZ = 44_100;
const MAX_LENGTH_SAMPLES = 2 ** 20 + 1;
/**
 * Fraction of each half of the taps under the Tukey window's cosine taper; the inner
 * `1 − TUKEY_TAPER_FRACTION` is left untouched. Chosen by measurement (see the docstring of
 * {@link designLinearPhaseFir}): 0.5 keeps a smooth target's response exact to 10⁻⁵ dB and
 * confines the ringing of a sharp low-frequency feature to its neighbourhood.
 */
const TUKEY_TAPER_FRACTION = 0.5;

/**
 * The FIR length for mastering EQ at `sampleRateHz`: `2^14·2^round(log2(sampleRateHz / 44100)) + 1`
 * taps (odd), i.e. 16385 at 44.1 and 48 kHz (0.37 s, latency 8192 samples), 32769 at
 * 88.2/96 kHz, 65537 at 176.4/192 kHz, 8193 at 22.05 kHz, at least 1025. The length in
 * seconds, and so the frequency resolution (about 2.7 Hz), stays about the same at every rate.
 *
 * Measured with {@link designLinearPhaseFir} (response of the float32 taps from a 4× zero-padded
 * FFT, 25 Hz … 18 kHz), at 44.1, 48 and 96 kHz alike: the inverse of a de-mastering chain
 * (+4 dB low shelf at 150 Hz, −5 dB high shelf at 6 kHz, +3 dB bell at 400 Hz Q 1.4, cookbook
 * biquads) is realised within 10⁻⁶ dB (float32 rounding of the taps); the same curve sampled at the 1/3-octave centres and
 * joined by {@link interpolateLogFrequency} within 0.0066 dB (at the 400 Hz corner, which the
 * window rounds off); a random ±3 dB 1/3-octave curve within 0.0027 dB RMS over the 1/3-octave
 * band powers 25 Hz … 16 kHz (0.013 dB in the worst band), 0.19 dB at worst at a single
 * frequency near its 31.5 Hz corner. Half this length makes those 0.04 dB RMS, 0.16 dB and
 * 0.53 dB.
 */
export function defaultFirLengthSamples(sampleRateHz: number): number {
  assertParameter(
    Number.isFinite(sampleRateHz) && sampleRateHz > 0,
    'defaultFirLengthSamples',
    'sampleRateHz',
    sampleRateHz,
  );
  const octaves = Math.round(Math.log2(sampleRateHz / REFERENCE_RATE_HZ));
  return 2 * Math.max(512, BASE_HALF_LENGTH_SAMPLES * 2 ** octaves) + 1;
}

/**
 * Designs a linear-phase (symmetric, type I) FIR whose magnitude follows `gainDbAt`, by
 * frequency sampling: the wanted zero-phase (real) spectrum on the grid of an FFT of size
 * M (the smallest power of two ≥ 2·lengthSamples, bins `sampleRateHz / M` apart), an inverse
 * FFT, the `lengthSamples` taps around time 0 moved to the centre, times a Tukey window.
 *
 * The window is flat over the inner half and a raised-cosine taper over the outer quarter
 * on each side. A smooth target's impulse response has died out long before the taper, so
 * its taps are left untouched (a truncated but unwindowed response is the least-squares
 * fit to the target) and the realised response is exact to 10⁻⁵ dB, where a Blackman window
 * blurs a 150 Hz shelf by 0.001 dB at 16385 taps and 0.02 dB at 4097. A sharp low-frequency
 * feature (a kink in a 1/3-octave curve at 31.5 Hz) has a long response; the taper keeps its
 * ringing near it (below 0.0001 dB above 100 Hz, where plain truncation spreads 0.005 dB
 * across the band). See {@link defaultFirLengthSamples} for measured figures.
 *
 * Returns `lengthSamples` float32 taps, exactly symmetric (`taps[n] === taps[L − 1 − n]`),
 * with latency (group delay) `(lengthSamples − 1)/2` samples. If `gainDbAt` is exactly 0 at
 * every grid frequency the result is an exact unit impulse at the centre (all other taps
 * 0), so a flat curve is a bit-exact identity in `applyFirInPlace` and
 * `applyMidSideFirInPlace`.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a rate that is not finite and positive, a
 *   length that is not an odd integer in 1 … 2^20 + 1, or a gain that is NaN or +∞.
 */
export function designLinearPhaseFir(options: LinearPhaseFirOptions): Float32Array {
  const { sampleRateHz, lengthSamples, gainDbAt } = options;
  const what = 'designLinearPhaseFir';
  assertParameter(Number.isFinite(sampleRateHz) && sampleRateHz > 0, what, 'sampleRateHz', sampleRateHz);
  assertParameter(
    Number.isInteger(lengthSamples) &&
      lengthSamples % 2 === 1 &&
      lengthSamples >= 1 &&
      lengthSamples <= MAX_LENGTH_SAMPLES,
    what,
    'lengthSamples',
    lengthSamples,
  );
  const halfLengthSamples = (lengthSamples - 1) / 2;
  let gridSize = 4;
  while (gridSize < 2 * lengthSamples) gridSize *= 2;

  // Zero-phase spectrum, real and even: bin k and bin M − k hold the same magnitude.
  const spectrum = new Float64Array(2 * gridSize);
  let flat = true;
  for (let k = 0; k <= gridSize / 2; k++) {
    const gainDb = gainDbAt((k * sampleRateHz) / gridSize);
    if (!(gainDb < Number.POSITIVE_INFINITY)) assertParameter(false, what, 'gainDbAt', gainDb);
    if (gainDb !== 0) flat = false;
    const magnitude = 10 ** (gainDb / 20);
    spectrum[2 * k] = magnitude;
    if (k > 0) spectrum[2 * (gridSize - k)] = magnitude;
  }
  const taps = new Float32Array(lengthSamples);
  if (flat) {
    taps[halfLengthSamples] = 1;
    return taps;
  }
  const impulse = new Float64Array(2 * gridSize);
  // fft.js's inverse divides by M, so `impulse` is the zero-phase response itself.
  new FFT(gridSize).inverseTransform(impulse, spectrum);
  const taperStart = (1 - TUKEY_TAPER_FRACTION) * (halfLengthSamples + 1);
  for (let n = 0; n <= halfLengthSamples; n++) {
    // Distance n from the centre; the taper reaches 0 one tap beyond the ends, so no tap is wasted.
    const window =
      n <= taperStart
        ? 1
        : 0.5 + 0.5 * Math.cos((Math.PI * (n - taperStart)) / (halfLengthSamples + 1 - taperStart));
    // The response is even (imaginary parts are round-off); one value for both sides keeps
    // the float32 taps exactly symmetric.
    const tap = impulse[2 * n]! * window;
    taps[halfLengthSamples + n] = tap;
    taps[halfLengthSamples - n] = tap;
  }
  return taps;
}

/**
 * Linear interpolation in log-frequency between `(pointsHz[i], valuesDb[i])`, held at the
 * first value at and below `pointsHz[0]` (DC included) and at the last value at and above the
 * last point: a 1/3-octave curve as a continuous `gainDbAt` for {@link designLinearPhaseFir}.
 *
 * `pointsHz` must be positive, finite and strictly ascending, with as many entries as
 * `valuesDb` (at least one); `valuesDb` finite. Cost O(log n) per call plus an O(n) check.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` when the points or values break those rules.
 */
export function interpolateLogFrequency(
  pointsHz: readonly number[] | Float64Array,
  valuesDb: readonly number[] | Float64Array,
  frequencyHz: number,
): number {
  const what = 'interpolateLogFrequency';
  const count = pointsHz.length;
  assertParameter(count >= 1 && valuesDb.length === count, what, 'valuesDb.length', valuesDb.length);
  for (let i = 0; i < count; i++) {
    const pointHz = pointsHz[i]!;
    const valid = Number.isFinite(pointHz) && pointHz > (i === 0 ? 0 : pointsHz[i - 1]!);
    if (!valid) assertParameter(false, what, `pointsHz[${i}]`, pointHz);
    if (!Number.isFinite(valuesDb[i]!)) assertParameter(false, what, `valuesDb[${i}]`, valuesDb[i]);
  }
  if (frequencyHz <= pointsHz[0]!) return valuesDb[0]!;
  if (frequencyHz >= pointsHz[count - 1]!) return valuesDb[count - 1]!;
  // Largest i with pointsHz[i] < frequencyHz (exists, and i + 1 < count, by the checks above).
  let low = 0;
  let high = count - 1;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (pointsHz[middle]! < frequencyHz) low = middle;
    else high = middle;
  }
  const lowHz = pointsHz[low]!;
  const fraction = Math.log(frequencyHz / lowHz) / Math.log(pointsHz[high]! / lowHz);
  return valuesDb[low]! + fraction * (valuesDb[high]! - valuesDb[low]!);
}
