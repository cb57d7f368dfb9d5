import { LacquerError } from '@lacquer/errors';
import { createInterSamplePeakKernel, interSamplePeaksAbove } from './inter-sample-peaks.ts';
import type { Processor } from './processor.ts';
import { createTruePeakInterpolator, truePeakOversamplingFactor } from './true-peak-interpolator.ts';

/** Parameters of {@link createTruePeakLimiter}. */
export interface TruePeakLimiterOptions {
  /** 8000 to 768000 Hz. */
  readonly sampleRateHz: number;
  /** 1 to 8; the gain is linked (one gain for all channels). */
  readonly channelCount: number;
  /** Largest true peak of the output, dBTP, −20 to 0. */
  readonly ceilingDbtp: number;
  /**
   * Look-ahead, ms, 0.5 to 20 (default 3): the time over which the gain ramps down before a
   * peak, rounded to samples and at least {@link TRUE_PEAK_LIMITER_MIN_RAMP_SAMPLES}. Longer
   * is gentler (less distortion on transients) and adds latency.
   */
  readonly lookaheadMs?: number;
  /** Release time constant, ms, 1 to 5000 (default 100): the gain covers 63 % of its way back up in that time. */
  readonly releaseMs?: number;
  /**
   * Oversampling of the peak detection: 1, 2, 4 or 8 (default
   * `truePeakOversamplingFactor(sampleRateHz)`, the factor `createPeakMeter` and
   * `analyzeLoudness` measure with: the ceiling is guaranteed as they measure it, grid or
   * continuous). A different factor guarantees the ceiling only as measured with that factor.
   */
  readonly oversamplingFactor?: number;
}

/** A look-ahead true-peak limiter; see {@link createTruePeakLimiter}. */
export interface TruePeakLimiter extends Processor {
  /**
   * Delay in samples: output frame n + latencySamples is input frame n, limited. It is the
   * look-ahead ramp plus the detector's reach, minus 1: ramp = max(32, round(lookaheadMs·fs/1000))
   * and reach = 24 for 2×, 4× or 8× detection (ramp + 23), 2 without oversampling (ramp + 1:
   * the continuous estimate there reads a sample either side). 155 at 44.1 kHz with the default 3 ms.
   */
  readonly latencySamples: number;
  /** Largest gain reduction since creation or `reset()`, dB (≥ 0). */
  readonly maxGainReductionDb: number;
  /**
   * Drains the look-ahead: writes the last `latencySamples` frames into
   * `output[c][0…latencySamples)` (each array must be at least that long), exactly as
   * processing `latencySamples` frames of zeros would. Call `reset()` before reusing the limiter.
   */
  flush(output: readonly Float32Array[]): void;
}

/**
 * Internal headroom of the detector, dB: peaks are held to ceiling − 0.05 dB. The gain is
 * computed from the inter-sample peaks of the input, but the meter interpolates the output,
 * i.e. the input times a gain that changes within the detector's reach; where a
 * gain ramp begins or bends next to a peak, that lifts an interpolated value slightly. Measured
 * with no margin: at most 0.003 dB on full-scale squares, +12 dB noise, fs/4 and near-Nyquist
 * sines, clipped drums and noise bursts (44.1–96 kHz, look-ahead 0.5–5 ms, release 1–100 ms),
 * and 0.009 dB on signals hill-climbed to maximize it at the shortest ramp (32 samples). With
 * the continuous detection, measured by the continuous meter: at most 0.002 dB on the squares,
 * noise, fs/4, 0.4·fs and 0.45·fs sines and noise bursts (44.1–96 kHz, look-ahead 0.5–5 ms,
 * release 1–100 ms). The property tests check the ceiling with the margin on that material.
 */
export const TRUE_PEAK_LIMITER_MARGIN_DB = 0.05;

const DEFAULT_LOOKAHEAD_MS = 3;
/**
 * Shortest gain ramp, samples. The interpolation error the margin covers grows as the ramp
 * shortens (about 1/ramp²): adversarially searched signals reach 0.009 dB at 32 samples,
 * 0.002 dB at 64, 0.0003 dB at 132 (3 ms at 44.1 kHz). Below 32 the margin would not be
 * safe, so a shorter look-ahead is lengthened to 32 samples (4 ms at 8 kHz, 0.7 ms at 44.1 kHz).
 */
export const TRUE_PEAK_LIMITER_MIN_RAMP_SAMPLES = 32;
const DEFAULT_RELEASE_MS = 100;
/** Frames per internal chunk: the size of the preallocated work buffers. */
const CHUNK_LENGTH_SAMPLES = 512;
/**
 * A released gain this close to unity is set to exactly 1, so that the limiter becomes
 * bit-transparent again after a peak (a one-pole only approaches its target). 10⁻⁹ is far
 * below float32 resolution (6·10⁻⁸), so the output cannot tell.
 */
const UNITY_SNAP = 1e-9;

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', `${name} ${value} is outside ${min}…${max}`, {
      details: { [name]: value },
    });
  }
}

/**
 * Creates a look-ahead brickwall limiter whose output true peak, as `createPeakMeter` and
 * `analyzeLoudness` measure it (ITU-R BS.1770-4 Annex 2), and as `createPeakMeter` with
 * `continuous` measures it between the grid points, never exceeds `ceilingDbtp`.
 *
 * Per sample, linked over channels:
 * 1. Detection: the same interpolator and kernel as the meter (`createTruePeakInterpolator`,
 *    `createInterSamplePeakKernel`), in continuous mode, give the inter-sample peaks; a[m] is
 *    the continuous estimate of the largest |value| in [m, m+1) over all channels (never below
 *    the grid values and the sample itself). Chunks whose bound `gainBound × max|x|` cannot
 *    reach the threshold are not interpolated (exact, as in the meter).
 * 2. Required gain r[m] = min(1, threshold / a[m]), threshold = ceiling − {@link TRUE_PEAK_LIMITER_MARGIN_DB}.
 * 3. Release: h = r when r falls below h (instant), else h moves towards r with the one-pole
 *    coefficient of `releaseMs`.
 * 4. Sliding minimum of h (monotone deque, O(1) per sample) over W + reach slots, W the
 *    look-ahead in samples: W to cover the ramp, the kernel's reach (24; 2 at 1×) so that
 *    every sample a peak's value is computed from gets that peak's gain.
 * 5. Two cascaded moving averages (W/2 and W/2 + 1 samples, running sums): a triangular
 *    kernel of W samples, so the gain ramps down smoothly (S-shaped) and, being an average of
 *    minima over windows that all contain the frame, is never above any h it must honour
 *    (the "sliding minimum + moving average" brickwall design).
 * 6. The gain multiplies the input delayed by `latencySamples`.
 *
 * A signal whose continuous true peak stays below ceiling − margin passes bit-exactly (after the delay).
 * Float64 state; `process` handles any block size (same output as one block), works in place,
 * and does not allocate.
 *
 * Latency compensation: drop the first `latencySamples` output frames, and at the end call
 * `flush` (or process `latencySamples` frames of zeros) and keep what it writes; the output
 * then has exactly the input's length and alignment. The ceiling then also holds for the
 * inter-sample values around the programme's first and last samples, because the meter's
 * assumption (zeros outside the programme) is the limiter's.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for any parameter outside its documented range.
 */
export function createTruePeakLimiter(options: TruePeakLimiterOptions): TruePeakLimiter {
  const { sampleRateHz, channelCount, ceilingDbtp } = options;
  const lookaheadMs = options.lookaheadMs ?? DEFAULT_LOOKAHEAD_MS;
  const releaseMs = options.releaseMs ?? DEFAULT_RELEASE_MS;
  checkRange('sampleRateHz', sampleRateHz, 8000, 768000);
  checkRange('channelCount', channelCount, 1, 8);
  if (!Number.isInteger(channelCount)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', `channelCount ${channelCount} is not an integer`, {
      details: { channelCount },
    });
  }
  checkRange('ceilingDbtp', ceilingDbtp, -20, 0);
  checkRange('lookaheadMs', lookaheadMs, 0.5, 20);
  checkRange('releaseMs', releaseMs, 1, 5000);
  const interpolator = createTruePeakInterpolator(
    options.oversamplingFactor ?? truePeakOversamplingFactor(sampleRateHz),
  );

  // Continuous detection: the grid meter's values are never above it, so both hold.
  const kernel = createInterSamplePeakKernel(interpolator, { continuous: true });
  const historyTaps = kernel.reachSamples;
  const threshold = 10 ** ((ceilingDbtp - TRUE_PEAK_LIMITER_MARGIN_DB) / 20);
  const releaseCoefficient = 1 - Math.exp(-1000 / (releaseMs * sampleRateHz));

  const rampLength = Math.max(
    TRUE_PEAK_LIMITER_MIN_RAMP_SAMPLES,
    Math.round((lookaheadMs * sampleRateHz) / 1000),
  );
  const minimumWindow = rampLength + historyTaps;
  const firstAverageLength = Math.floor((rampLength + 1) / 2);
  const secondAverageLength = rampLength + 1 - firstAverageLength;
  const latencySamples = rampLength + historyTaps - 1;
  const historyLength = Math.max(historyTaps, latencySamples);

  // Per channel: `historyLength` past input samples, then the current chunk.
  const work = Array.from(
    { length: channelCount },
    () => new Float32Array(historyLength + CHUNK_LENGTH_SAMPLES),
  );
  const peaks = new Float64Array(CHUNK_LENGTH_SAMPLES);
  const gains = new Float64Array(CHUNK_LENGTH_SAMPLES);
  // Sliding-minimum deque (ring): values and the slot they came from.
  const dequeCapacity = minimumWindow + 1;
  const dequeValues = new Float64Array(dequeCapacity);
  const dequeSlots = new Float64Array(dequeCapacity);
  // Moving averages run on the reduction depth 1 − gain, which is exactly 0 when idle.
  const firstRing = new Float64Array(firstAverageLength);
  const secondRing = new Float64Array(secondAverageLength);

  let slot = 0;
  let released = 1;
  let dequeHead = 0;
  let dequeSize = 0;
  let firstPosition = 0;
  let firstSum = 0;
  let firstNonZero = 0;
  let secondPosition = 0;
  let secondSum = 0;
  let secondNonZero = 0;
  let minimumGain = 1;

  function resetState(): void {
    for (const w of work) w.fill(0);
    firstRing.fill(0);
    secondRing.fill(0);
    slot = 0;
    released = 1;
    dequeHead = 0;
    dequeSize = 0;
    firstPosition = 0;
    firstSum = 0;
    firstNonZero = 0;
    secondPosition = 0;
    secondSum = 0;
    secondNonZero = 0;
    minimumGain = 1;
  }

  /** Fills `peaks[0…count)` with the largest inter-sample |value| over channels at each slot. */
  function detect(count: number): void {
    peaks.fill(0, 0, count);
    for (let c = 0; c < channelCount; c++) {
      // Where every value is at or under the threshold, r = 1: no need to interpolate it.
      interSamplePeaksAbove(
        kernel,
        work[c]!,
        historyLength,
        historyLength + count,
        peaks,
        -historyLength,
        threshold,
      );
    }
  }

  /** Turns `peaks[0…count)` into the gains of the frames `latencySamples` earlier. */
  function computeGains(count: number): void {
    let lowest = minimumGain;
    for (let i = 0; i < count; i++) {
      const peak = peaks[i]!;
      const required = peak > threshold ? threshold / peak : 1;
      // Release: instant down, one-pole up.
      if (required < released) released = required;
      else {
        released += releaseCoefficient * (required - released);
        if (required === 1 && 1 - released < UNITY_SNAP) released = 1;
      }
      // Sliding minimum over the last `minimumWindow` slots.
      while (dequeSize > 0) {
        let back = dequeHead + dequeSize - 1;
        if (back >= dequeCapacity) back -= dequeCapacity;
        if (dequeValues[back]! < released) break;
        dequeSize--;
      }
      let tail = dequeHead + dequeSize;
      if (tail >= dequeCapacity) tail -= dequeCapacity;
      dequeValues[tail] = released;
      dequeSlots[tail] = slot;
      dequeSize++;
      if (dequeSlots[dequeHead]! <= slot - minimumWindow) {
        dequeHead = dequeHead + 1 === dequeCapacity ? 0 : dequeHead + 1;
        dequeSize--;
      }
      slot++;
      // Two moving averages of the depth; exact zero once the window holds no reduction.
      const depth = 1 - dequeValues[dequeHead]!;
      const firstOld = firstRing[firstPosition]!;
      firstRing[firstPosition] = depth;
      firstPosition = firstPosition + 1 === firstAverageLength ? 0 : firstPosition + 1;
      if (depth !== 0) firstNonZero++;
      if (firstOld !== 0) firstNonZero--;
      firstSum = firstNonZero === 0 ? 0 : firstSum + depth - firstOld;
      const firstAverage = firstSum / firstAverageLength;
      const secondOld = secondRing[secondPosition]!;
      secondRing[secondPosition] = firstAverage;
      secondPosition = secondPosition + 1 === secondAverageLength ? 0 : secondPosition + 1;
      if (firstAverage !== 0) secondNonZero++;
      if (secondOld !== 0) secondNonZero--;
      secondSum = secondNonZero === 0 ? 0 : secondSum + firstAverage - secondOld;
      const gain = 1 - secondSum / secondAverageLength;
      gains[i] = gain;
      if (gain < lowest) lowest = gain;
    }
    minimumGain = lowest;
  }

  /** Limits `count` frames from `input` (zeros when null) at `inputOffset` into `output` at `outputOffset`. */
  function run(
    input: readonly Float32Array[] | null,
    inputOffset: number,
    output: readonly Float32Array[],
    outputOffset: number,
    count: number,
  ): void {
    for (let c = 0; c < channelCount; c++) {
      const x = work[c]!;
      if (input === null) x.fill(0, historyLength, historyLength + count);
      else {
        const source = input[c]!;
        for (let i = 0; i < count; i++) x[historyLength + i] = source[inputOffset + i]!;
      }
    }
    detect(count);
    computeGains(count);
    for (let c = 0; c < channelCount; c++) {
      const x = work[c]!;
      const y = output[c]!;
      const delayed = historyLength - latencySamples;
      for (let i = 0; i < count; i++) y[outputOffset + i] = x[delayed + i]! * gains[i]!;
      x.copyWithin(0, count, count + historyLength);
    }
  }

  return {
    latencySamples,
    get maxGainReductionDb() {
      return minimumGain === 1 ? 0 : -20 * Math.log10(minimumGain);
    },
    process(input, output) {
      const length = input[0]?.length ?? 0;
      for (let offset = 0; offset < length; offset += CHUNK_LENGTH_SAMPLES) {
        run(input, offset, output, offset, Math.min(CHUNK_LENGTH_SAMPLES, length - offset));
      }
    },
    flush(output) {
      for (let offset = 0; offset < latencySamples; offset += CHUNK_LENGTH_SAMPLES) {
        run(null, 0, output, offset, Math.min(CHUNK_LENGTH_SAMPLES, latencySamples - offset));
      }
    },
    reset: resetState,
  };
}
