import { assertParameter } from './assert-planar-audio.ts';
import type { FrameSource } from './frame-source.ts';
import { type LimiterGainCurveOptions, limiterGainCurve } from './limiter-gain-curve.ts';

/** Needed gains kept at least (the look-ahead window comes on top). */
const CHUNK_SAMPLES = 16_384;

/** The gain curve of `limiterGainCurve`, read front to back; see {@link createLimiterGainReader}. */
export interface LimiterGainReader {
  /**
   * Writes the gains (0 … 1) of the next `target.length` frames, in order, into `target`;
   * at most the frames that are left.
   *
   * @throws LacquerError `DSP_INVALID_PARAMETER` when `target` reaches past the programme.
   */
  read(target: Float32Array): void;
  /** Frames read so far. */
  readonly positionSamples: number;
  /**
   * Largest gain reduction of the frames read so far, dB (≥ 0): once every frame is read, what
   * `limiterGainCurve` returns.
   */
  readonly maxGainReductionDb: number;
}

/**
 * The gain curve of {@link limiterGainCurve} for a programme too long to hold: the same values,
 * bit for bit, computed front to back from peaks read through `peaks` (a one-channel
 * {@link FrameSource} of `lookaheadPeaks` of the programme's peak envelope, e.g. a scratch
 * file) a chunk at a time, half a look-ahead ahead of the gains handed out. Memory: one chunk
 * of peaks and one look-ahead window, whatever the length.
 *
 * Same three steps as `limiterGainCurve` (needed gain, centred moving average with the edge
 * values repeated, one-pole release), with the same float64 running sums in the same order and
 * the same float32 roundings, so that the gains equal those of the whole-programme function.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for parameters out of range (as
 *   `limiterGainCurve`) or a source of more than one channel.
 */
export function createLimiterGainReader(
  peaks: FrameSource,
  options: LimiterGainCurveOptions,
): LimiterGainReader {
  assertParameter(
    peaks.channelCount === 1,
    'createLimiterGainReader',
    'peaks.channelCount',
    peaks.channelCount,
  );
  // The whole-programme function validates the parameters (on an empty programme).
  limiterGainCurve(new Float32Array(0), new Float32Array(0), options);
  const { sampleRateHz, inputGainLinear, ceilingLinear, releaseMs, lookaheadMs } = options;
  const half = Math.max(1, Math.round((lookaheadMs / 1000) * sampleRateHz * 0.5));
  const windowLength = 2 * half + 1;
  const limit = ceilingLinear / inputGainLinear;
  const recovery = 1 - Math.exp(-1 / ((releaseMs / 1000) * sampleRateHz));
  const length = peaks.lengthSamples;

  // The needed gains m[k] = min(1, limit / peak[k]) (float32, as `limiterGainCurve` stores
  // them) of k in [base, filledTo): `needed[k − base]`, with m[0] for k < 0 and m[length − 1]
  // for k ≥ length (the edge values repeated beyond the ends).
  let needed = new Float32Array(Math.min(CHUNK_SAMPLES, length) + windowLength + 1);
  let base = -half;
  let filledTo = -half;
  const edge = [new Float32Array(1)];
  const neededOf = (peak: number) => Math.fround(peak > limit ? limit / peak : 1);
  let first = 1;
  let last = 1;
  if (length > 0) {
    peaks.read(0, edge);
    first = neededOf(edge[0]![0]!);
    peaks.read(length - 1, edge);
    last = neededOf(edge[0]![0]!);
  }

  /** Makes m known for k < `end`, keeping it from `keepFrom` on. */
  const fillTo = (end: number, keepFrom: number): void => {
    if (end - base > needed.length) {
      const kept = filledTo - keepFrom;
      if (end - keepFrom > needed.length) {
        const grown = new Float32Array(end - keepFrom);
        grown.set(needed.subarray(keepFrom - base, filledTo - base));
        needed = grown;
      } else {
        needed.copyWithin(0, keepFrom - base, filledTo - base);
      }
      base = keepFrom;
      filledTo = keepFrom + kept;
    }
    for (; filledTo < Math.min(0, end); filledTo++) needed[filledTo - base] = first;
    const readEnd = Math.min(end, length);
    if (filledTo < readEnd) {
      const target = needed.subarray(filledTo - base, readEnd - base);
      peaks.read(filledTo, [target]);
      for (let i = 0; i < target.length; i++) {
        const peak = target[i]!;
        target[i] = peak > limit ? limit / peak : 1;
      }
      filledTo = readEnd;
    }
    for (; filledTo < end; filledTo++) needed[filledTo - base] = last;
  };

  let sum = 0;
  let emitted = 0; // frames handed out
  let gain = 1;
  let minGain = 1;
  if (length > 0) {
    // The first window, centred on 0: half copies of m[0], then m[0] … m[half], in order.
    fillTo(half + 1, -half);
    for (let k = -half; k <= half; k++) sum += needed[k - base]!;
  }

  return {
    get positionSamples() {
      return emitted;
    },
    get maxGainReductionDb() {
      return minGain === 1 ? 0 : -20 * Math.log10(minGain);
    },
    read(target) {
      const count = target.length;
      assertParameter(emitted + count <= length, 'LimiterGainReader.read', 'target.length', count);
      if (count === 0) return;
      // The averages of n in [emitted, emitted + count) read m from n − half to n + half + 1.
      fillTo(emitted + count + half + 1, emitted - half);
      const m = needed;
      // Locals in the loop: V8 keeps them in registers (closure variables it would not).
      let runningSum = sum;
      let g = gain;
      let lowest = minGain;
      let leaving = emitted - half - base;
      let entering = emitted + half + 1 - base;
      for (let i = 0; i < count; i++, leaving++, entering++) {
        const smoothed = Math.fround(runningSum / windowLength);
        const released = g + (1 - g) * recovery;
        g = Math.min(smoothed, released);
        target[i] = g;
        if (g < lowest) lowest = g;
        // The window of n + 1: m[n + half + 1] enters, m[n − half] leaves.
        runningSum += m[entering]! - m[leaving]!;
      }
      sum = runningSum;
      gain = g;
      minGain = lowest;
      emitted += count;
    },
  };
}
