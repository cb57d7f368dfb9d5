import { LacquerError } from '@lacquer/errors';

/** Parameters of {@link limiterGainCurve}. */
export interface LimiterGainCurveOptions {
  /** 8000 to 768000 Hz. */
  readonly sampleRateHz: number;
  /** Gain applied before limiting, linear, > 0. */
  readonly inputGainLinear: number;
  /** Largest allowed output peak, linear (e.g. 10^(−1/20) for −1 dBTP), > 0. */
  readonly ceilingLinear: number;
  /** Look-ahead (and attack) time, ms, 0.5 to 20. */
  readonly lookaheadMs: number;
  /** Release time constant (63 % recovery), ms, 1 to 2000. */
  readonly releaseMs: number;
}

/**
 * The gain curve of an offline (whole-programme) look-ahead peak limiter, for a peak
 * envelope such as {@link truePeakEnvelope}:
 *
 * 1. required gain r[n] = min(1, ceiling / (inputGain·e[n]));
 * 2. a sliding minimum of r over |k − n| < L (L = look-ahead in samples, odd);
 * 3. a centred moving average of length L (the edge minima repeated beyond the ends) —
 *    every term of the average at n is ≤ r[n], so
 *    the result never exceeds the required gain, and a peak is approached by a linear ramp
 *    over L samples instead of a step (no click);
 * 4. release: g[n] = min(avg[n], g[n−1] + (1 − g[n−1])·(1 − e^(−1/(τ·fs)))), a one-pole
 *    recovery towards unity that never rises above the smoothed requirement.
 *
 * Hence `inputGain·g[n]·e[n] ≤ ceiling` for every n, with no overshoot by construction. The
 * curve is aligned with the envelope (offline, so no latency). O(n) time, in place (no
 * allocation proportional to the programme); the sliding minimum uses
 * a monotone deque (Lemire 2006, "Streaming maximum-minimum filter using no more than three
 * comparisons per element").
 *
 * @param envelope linear peak envelope, one value per sample frame.
 * @param output Float32Array of the same length, receives the gain (0 … 1).
 * @returns the largest gain reduction, dB (≥ 0).
 * @throws LacquerError `DSP_INVALID_PARAMETER` for parameters out of range.
 */
export function limiterGainCurve(
  envelope: Float32Array,
  output: Float32Array,
  options: LimiterGainCurveOptions,
): number {
  const { sampleRateHz, inputGainLinear, ceilingLinear, lookaheadMs, releaseMs } = options;
  if (envelope.length === 0) return 0;
  if (
    !(inputGainLinear > 0 && ceilingLinear > 0) ||
    !(lookaheadMs >= 0.5 && lookaheadMs <= 20) ||
    !(releaseMs >= 1 && releaseMs <= 2000) ||
    output.length !== envelope.length
  ) {
    throw new LacquerError('DSP_INVALID_PARAMETER', 'limiter gain curve parameters out of range', {
      details: { inputGainLinear, ceilingLinear, lookaheadMs, releaseMs },
    });
  }
  const length = envelope.length;
  const half = Math.max(1, Math.round((lookaheadMs / 1000) * sampleRateHz * 0.5));
  const windowLength = 2 * half + 1;
  const limit = ceilingLinear / inputGainLinear;
  const required = (i: number) => {
    const e = envelope[i]!;
    return e > limit ? limit / e : 1;
  };

  // 1 + 2: sliding minimum of the required gain over [n − 2·half, n + 2·half], into `output`.
  // The deque holds indices inside one window, so a ring of the window's size is enough.
  const reach = 2 * half;
  const ringLength = 2 * reach + 2;
  const deque = new Int32Array(ringLength);
  let head = 0;
  let count = 0;
  for (let i = 0; i < length + reach; i++) {
    if (i < length) {
      const r = required(i);
      while (count > 0 && required(deque[(head + count - 1) % ringLength]!) >= r) count--;
      deque[(head + count) % ringLength] = i;
      count++;
    }
    const n = i - reach;
    if (n < 0) continue;
    while (deque[head]! < n - reach) {
      head = (head + 1) % ringLength;
      count--;
    }
    output[n] = required(deque[head]!);
  }

  // 3: centred moving average of length 2·half + 1, in place; a ring keeps the minima the
  // average still needs after they are overwritten. Beyond the programme's ends the average
  // repeats the edge minimum, which is at most every minimum whose window reaches past the end.
  const firstMinimum = output[0]!;
  const lastMinimum = output[length - 1]!;
  const pending = new Float32Array(windowLength);
  let sum = 0;
  for (let i = -half; i <= half; i++) sum += i < 0 ? firstMinimum : i < length ? output[i]! : lastMinimum;
  for (let n = 0; n < length; n++) {
    const leaving = n - half;
    const leavingValue = leaving >= 0 ? pending[leaving % windowLength]! : firstMinimum;
    pending[n % windowLength] = output[n]!;
    output[n] = sum / windowLength;
    const entering = n + half + 1;
    sum += (entering < length ? output[entering]! : lastMinimum) - leavingValue;
  }

  // 4: release towards unity, never above the smoothed requirement.
  const recovery = 1 - Math.exp(-1 / ((releaseMs / 1000) * sampleRateHz));
  let gain = 1;
  let minGain = 1;
  for (let n = 0; n < length; n++) {
    const released = gain + (1 - gain) * recovery;
    gain = Math.min(output[n]!, released);
    output[n] = gain;
    if (gain < minGain) minGain = gain;
  }
  return minGain === 1 ? 0 : -20 * Math.log10(minGain);
}
