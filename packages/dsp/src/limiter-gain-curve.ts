import { LacquerError } from '@lacquer/errors';

/** Timing of an offline look-ahead limiter (see {@link limiterGainCurve}). */
export interface LimiterTiming {
  /** 8000 to 768000 Hz. */
  readonly sampleRateHz: number;
  /** Look-ahead (and attack) time, ms, 0.5 to 20. */
  readonly lookaheadMs: number;
}

/** Parameters of {@link limiterGainCurve}. */
export interface LimiterGainCurveOptions extends LimiterTiming {
  /** Gain applied before limiting, linear, > 0. */
  readonly inputGainLinear: number;
  /** Largest allowed output peak, linear (e.g. 10^(−1/20) for −1 dBTP), > 0. */
  readonly ceilingLinear: number;
  /** Release time constant (63 % recovery), ms, 1 to 2000. */
  readonly releaseMs: number;
}

/** Half the look-ahead in samples, at least 1: the ramp is 2·half + 1 samples long. */
function halfLookaheadSamples({ sampleRateHz, lookaheadMs }: LimiterTiming): number {
  if (!(lookaheadMs >= 0.5 && lookaheadMs <= 20) || !(sampleRateHz >= 8000 && sampleRateHz <= 768000)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', 'limiter look-ahead or sample rate out of range', {
      details: { lookaheadMs, sampleRateHz },
    });
  }
  return Math.max(1, Math.round((lookaheadMs / 1000) * sampleRateHz * 0.5));
}

/**
 * The largest peak-envelope value within reach of each sample, `M[n] = max e[k]` over
 * |k − n| ≤ 2·half (half = look-ahead / 2): what the limiter's gain at n must answer to. It
 * does not depend on the gain or the ceiling, so a search over gains computes it once.
 * O(n), about three comparisons per sample, with the van Herk / Gil–Werman block algorithm
 * (suffix maxima of one block and prefix maxima of the next cover every window that starts
 * in the block) and buffers of one window only.
 *
 * @returns Float32Array of the envelope's length.
 */
export function lookaheadPeaks(envelope: Float32Array, timing: LimiterTiming): Float32Array {
  const length = envelope.length;
  const reach = 2 * halfLookaheadSamples(timing);
  const windowLength = 2 * reach + 1;
  const peaks = new Float32Array(length);
  const suffix = new Float32Array(windowLength);
  const prefix = new Float32Array(windowLength);
  // Outside the programme the envelope is 0, which never wins a maximum.
  const at = (i: number) => (i >= 0 && i < length ? envelope[i]! : 0);
  // Windows [a, a + windowLength) for a = n − reach, in blocks of windowLength starts.
  for (let blockStart = -reach; blockStart < length - reach; blockStart += windowLength) {
    let running = 0;
    for (let j = windowLength - 1; j >= 0; j--) {
      const e = at(blockStart + j);
      running = Math.max(e, running);
      suffix[j] = running;
    }
    running = 0;
    const next = blockStart + windowLength;
    for (let j = 0; j < windowLength; j++) {
      const e = at(next + j);
      running = Math.max(e, running);
      prefix[j] = running;
    }
    const end = Math.min(windowLength, length - reach - blockStart);
    peaks[blockStart + reach] = suffix[0]!;
    for (let j = 1; j < end; j++) {
      const s = suffix[j]!;
      const p = prefix[j - 1]!;
      peaks[blockStart + j + reach] = Math.max(s, p);
    }
  }
  return peaks;
}

/**
 * The gain curve of an offline (whole-programme) look-ahead peak limiter, from
 * {@link lookaheadPeaks} of a peak envelope such as `truePeakEnvelope`:
 *
 * 1. m[n] = min(1, ceiling / (inputGain·M[n])): the gain every sample within reach of n
 *    needs (the sliding minimum of the required gain r[k] = min(1, ceiling / (inputGain·e[k])));
 * 2. a centred moving average of m of length L = 2·half + 1 (the edge values repeated beyond
 *    the ends) — every term of the average at n is ≤ r[n], so the result never exceeds the
 *    required gain, and a peak is approached by a linear ramp over L samples, not a step;
 * 3. release: g[n] = min(avg[n], g[n−1] + (1 − g[n−1])·(1 − e^(−1/(τ·fs)))), a one-pole
 *    recovery towards unity that never rises above the smoothed requirement.
 *
 * Hence `inputGain·g[n]·e[n] ≤ ceiling` for every n, with no overshoot by construction. The
 * curve is aligned with the envelope (offline, so no latency). O(n) time, in place (no
 * allocation proportional to the programme).
 *
 * @param peaks `lookaheadPeaks(envelope, options)`, linear.
 * @param output Float32Array of the same length, receives the gain (0 … 1).
 * @returns the largest gain reduction, dB (≥ 0).
 * @throws LacquerError `DSP_INVALID_PARAMETER` for parameters out of range.
 */
export function limiterGainCurve(
  peaks: Float32Array,
  output: Float32Array,
  options: LimiterGainCurveOptions,
): number {
  const { sampleRateHz, inputGainLinear, ceilingLinear, releaseMs } = options;
  const half = halfLookaheadSamples(options);
  if (
    !(inputGainLinear > 0 && ceilingLinear > 0) ||
    !(releaseMs >= 1 && releaseMs <= 2000) ||
    output.length !== peaks.length
  ) {
    throw new LacquerError('DSP_INVALID_PARAMETER', 'limiter gain curve parameters out of range', {
      details: { inputGainLinear, ceilingLinear, releaseMs },
    });
  }
  const length = peaks.length;
  if (length === 0) return 0;
  const windowLength = 2 * half + 1;
  const limit = ceilingLinear / inputGainLinear;

  // 1: the needed gain, into `output`.
  for (let n = 0; n < length; n++) {
    const peak = peaks[n]!;
    output[n] = peak > limit ? limit / peak : 1;
  }

  // 2: centred moving average, in place; a ring keeps the values the average still needs
  // after they are overwritten.
  const first = output[0]!;
  const last = output[length - 1]!;
  const pending = new Float32Array(windowLength);
  let sum = 0;
  for (let i = -half; i <= half; i++) sum += i < 0 ? first : i < length ? output[i]! : last;
  let slot = 0; // n mod windowLength
  for (let n = 0; n < length; n++) {
    // The value leaving (index n − half) was stored half + 1 steps after its slot came round.
    const leavingSlot = slot + half + 1 < windowLength ? slot + half + 1 : slot + half + 1 - windowLength;
    const leaving = n - half >= 0 ? pending[leavingSlot]! : first;
    pending[slot] = output[n]!;
    output[n] = sum / windowLength;
    const entering = n + half + 1;
    sum += (entering < length ? output[entering]! : last) - leaving;
    slot = slot + 1 === windowLength ? 0 : slot + 1;
  }

  // 3: release towards unity, never above the smoothed requirement.
  const recovery = 1 - Math.exp(-1 / ((releaseMs / 1000) * sampleRateHz));
  let gain = 1;
  let minGain = 1;
  for (let n = 0; n < length; n++) {
    const released = gain + (1 - gain) * recovery;
    const smoothed = output[n]!;
    gain = Math.min(smoothed, released);
    output[n] = gain;
    if (gain < minGain) minGain = gain;
  }
  return minGain === 1 ? 0 : -20 * Math.log10(minGain);
}
