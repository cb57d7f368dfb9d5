import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { limiterGainCurve, lookaheadPeaks } from './limiter-gain-curve.ts';

const RATE_HZ = 48000;
// Float32 storage of the gain: one part in 2^23 per step, a few steps deep.
const FLOAT32_SLACK = 1e-6;

/** Spiky envelope: quiet noise floor with random peaks, deterministic. */
function spikyEnvelope(length: number, seed: number): Float32Array {
  const envelope = new Float32Array(length);
  let state = seed;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < length; i++) envelope[i] = next() < 0.01 ? 0.5 + 1.5 * next() : 0.3 * next();
  return envelope;
}

/** The definition, computed naively: min over |k−n| ≤ 2·half, averaged over |k−n| ≤ half (edges repeated), released. */
function naiveCurve(envelope: Float32Array, limit: number, half: number, recovery: number): Float64Array {
  const length = envelope.length;
  const required = Array.from(envelope, (e) => (e > limit ? limit / e : 1));
  const minimum = required.map((_, n) => {
    let m = 1;
    for (let k = n - 2 * half; k <= n + 2 * half; k++)
      if (k >= 0 && k < length) m = Math.min(m, required[k]!);
    return m;
  });
  const out = new Float64Array(length);
  let gain = 1;
  for (let n = 0; n < length; n++) {
    let sum = 0;
    for (let k = n - half; k <= n + half; k++) sum += minimum[Math.min(length - 1, Math.max(0, k))]!;
    gain = Math.min(sum / (2 * half + 1), gain + (1 - gain) * recovery);
    out[n] = gain;
  }
  return out;
}

describe('limiterGainCurve', () => {
  const options = {
    sampleRateHz: RATE_HZ,
    inputGainLinear: 2,
    ceilingLinear: 0.9,
    lookaheadMs: 1,
    releaseMs: 20,
  };

  it('property: gain × envelope never exceeds the ceiling', () => {
    for (const seed of [1, 2, 3]) {
      const envelope = spikyEnvelope(20000, seed);
      const gain = new Float32Array(envelope.length);
      limiterGainCurve(lookaheadPeaks(envelope, options), gain, options);
      for (let n = 0; n < envelope.length; n++) {
        expect(options.inputGainLinear * gain[n]! * envelope[n]!).toBeLessThanOrEqual(
          options.ceilingLinear * (1 + FLOAT32_SLACK),
        );
      }
    }
  });

  it('spec: matches the naive definition (sliding minimum, centred average, release)', () => {
    const envelope = spikyEnvelope(5000, 7);
    const gain = new Float32Array(envelope.length);
    limiterGainCurve(lookaheadPeaks(envelope, options), gain, options);
    const half = Math.round((options.lookaheadMs / 1000) * RATE_HZ * 0.5);
    const recovery = 1 - Math.exp(-1 / ((options.releaseMs / 1000) * RATE_HZ));
    const expected = naiveCurve(envelope, options.ceilingLinear / options.inputGainLinear, half, recovery);
    for (let n = 0; n < envelope.length; n++)
      expectWithin(gain[n]!, expected[n]!, FLOAT32_SLACK, `gain[${n}]`);
  });

  it('property: the ceiling holds at the very first and last samples (a programme cut mid-waveform)', () => {
    const envelope = new Float32Array(2000).fill(0.1);
    envelope[3] = 1.8;
    envelope[1996] = 1.8;
    const gain = new Float32Array(envelope.length);
    limiterGainCurve(lookaheadPeaks(envelope, options), gain, options);
    for (const n of [3, 1996]) {
      expect(options.inputGainLinear * gain[n]! * envelope[n]!).toBeLessThanOrEqual(
        options.ceilingLinear * (1 + FLOAT32_SLACK),
      );
    }
  });

  it('property: an envelope under the threshold gives unity gain and 0 dB reduction', () => {
    const envelope = new Float32Array(1000).fill(0.4);
    const gain = new Float32Array(envelope.length);
    expect(limiterGainCurve(lookaheadPeaks(envelope, options), gain, options)).toBe(0);
    expect(gain.every((g) => g === 1)).toBe(true);
  });

  it('rejects out-of-range parameters with DSP_INVALID_PARAMETER', () => {
    const envelope = new Float32Array(10);
    expect(() =>
      limiterGainCurve(lookaheadPeaks(envelope, { ...options, lookaheadMs: 0 }), new Float32Array(10), {
        ...options,
        lookaheadMs: 0,
      }),
    ).toThrow(expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }));
  });
});
