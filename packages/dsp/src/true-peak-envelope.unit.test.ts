import { expectWithin, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { continuousPeaksByDefinition } from './test-support/continuous-peak-definition.ts';
import { truePeakEnvelope } from './true-peak-envelope.ts';
import { createTruePeakInterpolator, type TruePeakInterpolator } from './true-peak-interpolator.ts';

/**
 * The envelope against the definition computed in float64: the envelope is stored in float32
 * (half an ulp, 2⁻²⁴ relative) after a float64 sum in another order (~10⁻¹⁶), which can
 * carry it across a rounding boundary: one float32 ulp, 2⁻²³ relative.
 */
const FLOAT32_STORE = 2 ** -23;

/**
 * e[m] from the definition: the largest |value| over channels at times m + p/factor, the
 * programme padded with zeros (branch p at padded input m + delay + reach is time m + p/F);
 * the values before the first sample count for e[0], those after the last for e[length − 1].
 */
function definitionEnvelope(channels: readonly Float32Array[], interpolator: TruePeakInterpolator): number[] {
  const { phases, tapsPerPhase, latencySamples } = interpolator;
  const reach = tapsPerPhase - 1;
  const length = channels[0]!.length;
  const envelope = new Array<number>(length).fill(0);
  for (const x of channels) {
    const padded = new Float64Array(length + 4 * reach);
    padded.set(x, 2 * reach);
    for (let m = -reach; m < length + reach; m++) {
      const n = m + latencySamples + 2 * reach;
      const at = Math.min(length - 1, Math.max(0, m));
      for (const h of phases) {
        let acc = 0;
        for (let k = 0; k < tapsPerPhase; k++) acc += h[k]! * padded[n - k]!;
        envelope[at] = Math.max(envelope[at]!, Math.abs(acc));
      }
    }
  }
  return envelope;
}

/**
 * The continuous envelope from the definition (`continuousPeaksByDefinition`), folded into
 * e[m] as the grid envelope is: the values before the first sample count for e[0], those
 * after the last for e[length − 1].
 */
function definitionContinuousEnvelope(
  channels: readonly Float32Array[],
  interpolator: TruePeakInterpolator,
): number[] {
  const length = channels[0]!.length;
  const envelope = new Array<number>(length).fill(0);
  for (const x of channels) {
    for (const [m, peak] of continuousPeaksByDefinition(x, interpolator)) {
      const index = Math.min(length - 1, Math.max(0, m));
      envelope[index] = Math.max(envelope[index]!, peak);
    }
  }
  return envelope;
}

/** Two independent noise channels at −6 dBFS RMS (peaks near full scale, frequent inter-sample overs). */
function stereoNoise(lengthSamples: number, seed: number): Float32Array[] {
  return whiteNoise({ sampleRateHz: 48000, durationSeconds: lengthSamples / 48000, rmsDbfs: -6, seed })
    .channels;
}

describe('truePeakEnvelope', () => {
  it.each([2, 4, 8])(
    'differential: %i× with floor 0 is the definition at every sample, ends included',
    (factor) => {
      const interpolator = createTruePeakInterpolator(factor);
      // Shorter than the interpolator's reach, shorter than a skip chunk, and long.
      for (const lengthSamples of [1, 5, 13, 31, 33, 100, 1000]) {
        const channels = stereoNoise(lengthSamples, lengthSamples);
        const envelope = truePeakEnvelope(channels, interpolator, 0);
        const expected = definitionEnvelope(channels, interpolator);
        expect(envelope.length).toBe(lengthSamples);
        expected.forEach((e, m) => {
          expectWithin(envelope[m]!, e, e * FLOAT32_STORE, `${factor}×, length ${lengthSamples}, e[${m}]`);
        });
      }
    },
  );

  it.each([0.3, 0.9, 1.5])(
    'property: with floor %f, exact where the definition exceeds the floor, between |x| and exact elsewhere',
    (floorLinear) => {
      const interpolator = createTruePeakInterpolator(4);
      const channels = stereoNoise(2000, 7);
      const envelope = truePeakEnvelope(channels, interpolator, floorLinear);
      const expected = definitionEnvelope(channels, interpolator);
      expected.forEach((e, m) => {
        const sample = Math.max(...channels.map((x) => Math.abs(x[m]!)));
        if (e > floorLinear) expectWithin(envelope[m]!, e, e * FLOAT32_STORE, `e[${m}]`);
        else {
          expect(envelope[m]!).toBeGreaterThanOrEqual(sample);
          expect(envelope[m]!).toBeLessThanOrEqual(e * (1 + FLOAT32_STORE));
        }
      });
    },
  );

  it('property: 1× is the sample envelope, linked over channels', () => {
    const channels = stereoNoise(300, 3);
    const envelope = truePeakEnvelope(channels, createTruePeakInterpolator(1), 0);
    envelope.forEach((e, m) => {
      expectWithin(e, Math.max(Math.abs(channels[0]![m]!), Math.abs(channels[1]![m]!)), 0, `e[${m}]`);
    });
  });

  it.each([1, 2, 4, 8])(
    'differential: continuous, %i× with floor 0 is the definition at every sample, ends included',
    (factor) => {
      const interpolator = createTruePeakInterpolator(factor);
      for (const lengthSamples of [1, 2, 5, 13, 31, 33, 100, 1000]) {
        const channels = stereoNoise(lengthSamples, lengthSamples);
        const envelope = truePeakEnvelope(channels, interpolator, 0, { continuous: true });
        const expected = definitionContinuousEnvelope(channels, interpolator);
        expect(envelope.length).toBe(lengthSamples);
        expected.forEach((e, m) => {
          expectWithin(envelope[m]!, e, e * FLOAT32_STORE, `${factor}×, length ${lengthSamples}, e[${m}]`);
        });
      }
    },
  );

  it.each([0.3, 0.9, 1.5])(
    'property: continuous, with floor %f, exact where the definition exceeds the floor, between |x| and exact elsewhere',
    (floorLinear) => {
      const interpolator = createTruePeakInterpolator(4);
      const channels = stereoNoise(2000, 7);
      const envelope = truePeakEnvelope(channels, interpolator, floorLinear, { continuous: true });
      const expected = definitionContinuousEnvelope(channels, interpolator);
      expected.forEach((e, m) => {
        const sample = Math.max(...channels.map((x) => Math.abs(x[m]!)));
        if (e > floorLinear) expectWithin(envelope[m]!, e, e * FLOAT32_STORE, `e[${m}]`);
        else {
          expect(envelope[m]!).toBeGreaterThanOrEqual(sample);
          expect(envelope[m]!).toBeLessThanOrEqual(e * (1 + FLOAT32_STORE));
        }
      });
    },
  );

  it.each([1, 2, 4])('property: continuous, %i×, is never below the grid envelope', (factor) => {
    const interpolator = createTruePeakInterpolator(factor);
    const channels = stereoNoise(3000, 5);
    const grid = truePeakEnvelope(channels, interpolator, 0);
    const continuous = truePeakEnvelope(channels, interpolator, 0, { continuous: true });
    for (let m = 0; m < grid.length; m++) expect(continuous[m]!, `e[${m}]`).toBeGreaterThanOrEqual(grid[m]!);
  });

  it('an empty programme gives an empty envelope', () => {
    expect(truePeakEnvelope([new Float32Array(0)], createTruePeakInterpolator(4), 0).length).toBe(0);
    const continuous = { continuous: true };
    expect(truePeakEnvelope([new Float32Array(0)], createTruePeakInterpolator(4), 0, continuous).length).toBe(
      0,
    );
  });
});
