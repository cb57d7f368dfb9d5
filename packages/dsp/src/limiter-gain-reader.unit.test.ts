import { xorshift32 } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { planarFrameSource } from './frame-source.ts';
import { limiterGainCurve, lookaheadPeaks } from './limiter-gain-curve.ts';
import { createLimiterGainReader } from './limiter-gain-reader.ts';

const RATE_HZ = 48000;

/** Spiky envelope: quiet noise floor with random peaks, deterministic. */
function spikyEnvelope(length: number, seed: number): Float32Array {
  const random = xorshift32(seed);
  return new Float32Array(length).map(() => (random() < 0.01 ? 0.5 + 1.5 * random() : 0.3 * random()));
}

describe('createLimiterGainReader', () => {
  const cases = [
    { length: 20000, lookaheadMs: 1, releaseMs: 20 },
    { length: 5000, lookaheadMs: 5, releaseMs: 200 },
    // Shorter than half the look-ahead: the edge values fill the whole window.
    { length: 30, lookaheadMs: 5, releaseMs: 50 },
    { length: 1, lookaheadMs: 0.5, releaseMs: 1 },
  ];
  for (const { length, lookaheadMs, releaseMs } of cases) {
    it(`differential: ${length} frames, ${lookaheadMs} ms look-ahead read in random blocks equal limiterGainCurve bit for bit`, () => {
      const options = {
        sampleRateHz: RATE_HZ,
        inputGainLinear: 2,
        ceilingLinear: 0.9,
        lookaheadMs,
        releaseMs,
      };
      const peaks = lookaheadPeaks(spikyEnvelope(length, length), options);
      const expected = new Float32Array(length);
      const expectedReductionDb = limiterGainCurve(peaks, expected, options);

      const reader = createLimiterGainReader(
        planarFrameSource({ sampleRateHz: RATE_HZ, channels: [peaks] }),
        options,
      );
      const random = xorshift32(7);
      const gains = new Float32Array(length);
      while (reader.positionSamples < length) {
        const start = reader.positionSamples;
        const count = Math.min(length - start, 1 + Math.floor(random() * 700));
        reader.read(gains.subarray(start, start + count));
      }
      expect(gains).toEqual(expected);
      expect(reader.maxGainReductionDb).toBe(expectedReductionDb);
    });
  }

  it('rejects reading past the end and parameters out of range', () => {
    const invalid = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });
    const options = {
      sampleRateHz: RATE_HZ,
      inputGainLinear: 1,
      ceilingLinear: 0.9,
      lookaheadMs: 1,
      releaseMs: 20,
    };
    const source = planarFrameSource({ sampleRateHz: RATE_HZ, channels: [new Float32Array(10)] });
    expect(() => createLimiterGainReader(source, options).read(new Float32Array(11))).toThrow(invalid);
    expect(() => createLimiterGainReader(source, { ...options, lookaheadMs: 50 })).toThrow(invalid);
  });
});
