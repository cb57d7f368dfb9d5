import { isLacquerError } from '@lacquer/errors';
import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import {
  designButterworthHighPass,
  designHighPass,
  designHighShelf,
  designLowPass,
  designLowShelf,
  designPeaking,
} from './biquad-design.ts';
import { biquadMagnitudeDb } from './biquad-filter.ts';

/**
 * The cookbook's gains at f0, DC and Nyquist are exact identities of the bilinear transform
 * (no approximation), so the only error is float64 rounding in the design and in
 * `biquadMagnitudeDb`: 10⁻⁹ dB leaves six orders of magnitude to that and still catches
 * any wrong coefficient.
 */
const EXACT_DB = 1e-9;
/**
 * Butterworth cascade against the closed form: deep in the stop band the φ-form numerator is
 * a difference of terms far larger than itself, so rounding grows there; the measured worst
 * case is 5·10⁻⁹ dB (order 8 at 1 Hz, 192 kHz, −330 dB).
 */
const BUTTERWORTH_DB = 1e-7;
/** −3.0103 dB: a magnitude of 1/√2, the half-power point. */
const HALF_POWER_DB = 20 * Math.log10(Math.SQRT1_2);
const RATES_HZ = [44100, 48000, 96000];

function expectInvalid(design: () => unknown): void {
  let caught: unknown;
  try {
    design();
  } catch (error) {
    caught = error;
  }
  expect(isLacquerError(caught, 'DSP_INVALID_PARAMETER')).toBe(true);
}

describe('designPeaking', () => {
  it.each(RATES_HZ)(
    'spec: exactly gainDb at f0 and 0 dB at DC and Nyquist (RBJ cookbook, %i Hz)',
    (sampleRateHz) => {
      for (const [frequencyHz, gainDb, q] of [
        [1000, 6, 1],
        [60, -4.5, 0.7],
        [12000, 3, 4],
      ] as const) {
        const c = designPeaking({ sampleRateHz, frequencyHz, gainDb, q });
        expectWithin(
          biquadMagnitudeDb(c, frequencyHz, sampleRateHz),
          gainDb,
          EXACT_DB,
          `gain at ${frequencyHz} Hz`,
        );
        expectWithin(biquadMagnitudeDb(c, 0, sampleRateHz), 0, EXACT_DB, 'gain at DC');
        expectWithin(biquadMagnitudeDb(c, sampleRateHz / 2, sampleRateHz), 0, EXACT_DB, 'gain at Nyquist');
      }
    },
  );

  it('spec: the peak is at f0 (the gain is lower half an octave either side)', () => {
    const c = designPeaking({ sampleRateHz: 48000, frequencyHz: 1000, gainDb: 6, q: 1 });
    expect(biquadMagnitudeDb(c, 707, 48000)).toBeLessThan(6);
    expect(biquadMagnitudeDb(c, 1414, 48000)).toBeLessThan(6);
  });
});

describe('designLowShelf and designHighShelf', () => {
  it.each(RATES_HZ)(
    'spec: plateau gainDb, half of it at f0, 0 dB on the other side (%i Hz)',
    (sampleRateHz) => {
      for (const gainDb of [6, -3, 12]) {
        for (const shape of [{}, { slope: 0.5 }, { q: 0.9 }]) {
          const low = designLowShelf({ sampleRateHz, frequencyHz: 120, gainDb, ...shape });
          expectWithin(biquadMagnitudeDb(low, 0, sampleRateHz), gainDb, EXACT_DB, 'low shelf at DC');
          expectWithin(biquadMagnitudeDb(low, 120, sampleRateHz), gainDb / 2, EXACT_DB, 'low shelf at f0');
          expectWithin(
            biquadMagnitudeDb(low, sampleRateHz / 2, sampleRateHz),
            0,
            EXACT_DB,
            'low shelf at Nyquist',
          );
          const high = designHighShelf({ sampleRateHz, frequencyHz: 8000, gainDb, ...shape });
          expectWithin(biquadMagnitudeDb(high, 0, sampleRateHz), 0, EXACT_DB, 'high shelf at DC');
          expectWithin(biquadMagnitudeDb(high, 8000, sampleRateHz), gainDb / 2, EXACT_DB, 'high shelf at f0');
          expectWithin(
            biquadMagnitudeDb(high, sampleRateHz / 2, sampleRateHz),
            gainDb,
            EXACT_DB,
            'high shelf at Nyquist',
          );
        }
      }
    },
  );

  it('spec: slope 1 is monotonic (no bump past the plateau)', () => {
    const c = designLowShelf({ sampleRateHz: 48000, frequencyHz: 200, gainDb: 9, slope: 1 });
    let previousDb = Number.POSITIVE_INFINITY;
    for (let frequencyHz = 1; frequencyHz < 24000; frequencyHz *= 1.05) {
      const db = biquadMagnitudeDb(c, frequencyHz, 48000);
      expect(db).toBeLessThanOrEqual(previousDb + EXACT_DB);
      previousDb = db;
    }
  });
});

describe('designHighPass and designLowPass', () => {
  it.each(RATES_HZ)('spec: −3.01 dB at fc for q = 1/√2, unity in the pass band (%i Hz)', (sampleRateHz) => {
    for (const frequencyHz of [20, 1000, 15000]) {
      const high = designHighPass({ sampleRateHz, frequencyHz, q: Math.SQRT1_2 });
      expectWithin(
        biquadMagnitudeDb(high, frequencyHz, sampleRateHz),
        HALF_POWER_DB,
        EXACT_DB,
        'high-pass at fc',
      );
      expectWithin(
        biquadMagnitudeDb(high, sampleRateHz / 2, sampleRateHz),
        0,
        EXACT_DB,
        'high-pass at Nyquist',
      );
      const low = designLowPass({ sampleRateHz, frequencyHz, q: Math.SQRT1_2 });
      expectWithin(
        biquadMagnitudeDb(low, frequencyHz, sampleRateHz),
        HALF_POWER_DB,
        EXACT_DB,
        'low-pass at fc',
      );
      expectWithin(biquadMagnitudeDb(low, 0, sampleRateHz), 0, EXACT_DB, 'low-pass at DC');
    }
  });

  it('spec: the magnitude at fc is Q (20·log10 Q dB)', () => {
    for (const q of [0.5, 1, 2.5]) {
      const high = designHighPass({ sampleRateHz: 48000, frequencyHz: 500, q });
      expectWithin(biquadMagnitudeDb(high, 500, 48000), 20 * Math.log10(q), EXACT_DB, `Q ${q}`);
    }
  });
});

describe('designButterworthHighPass', () => {
  it.each([1, 2, 3, 4, 5, 8])('spec: order %i matches the bilinear Butterworth magnitude', (order) => {
    const sampleRateHz = 48000;
    const frequencyHz = 25;
    const sections = designButterworthHighPass({ sampleRateHz, frequencyHz, order });
    expect(sections).toHaveLength(Math.ceil(order / 2));
    const warpedCorner = Math.tan((Math.PI * frequencyHz) / sampleRateHz);
    for (const probeHz of [5, 12.5, 20, 25, 31.5, 50, 1000, 20000]) {
      const ratio = warpedCorner / Math.tan((Math.PI * probeHz) / sampleRateHz);
      const expectedDb = -10 * Math.log10(1 + ratio ** (2 * order));
      expectWithin(
        biquadMagnitudeDb(sections, probeHz, sampleRateHz),
        expectedDb,
        BUTTERWORTH_DB,
        `${probeHz} Hz`,
      );
    }
    expectWithin(biquadMagnitudeDb(sections, frequencyHz, sampleRateHz), HALF_POWER_DB, EXACT_DB, 'at fc');
  });
});

describe('parameter validation', () => {
  it('spec: out-of-range parameters throw DSP_INVALID_PARAMETER', () => {
    const base = { sampleRateHz: 48000, frequencyHz: 1000 };
    expectInvalid(() => designPeaking({ ...base, frequencyHz: 24000, gainDb: 3, q: 1 }));
    expectInvalid(() => designPeaking({ ...base, frequencyHz: 0, gainDb: 3, q: 1 }));
    expectInvalid(() => designPeaking({ ...base, sampleRateHz: 4000, gainDb: 3, q: 1 }));
    expectInvalid(() => designPeaking({ ...base, gainDb: 41, q: 1 }));
    expectInvalid(() => designPeaking({ ...base, gainDb: 3, q: 0 }));
    expectInvalid(() => designPeaking({ ...base, gainDb: Number.NaN, q: 1 }));
    expectInvalid(() => designLowShelf({ ...base, gainDb: 3, slope: 1.5 }));
    expectInvalid(() => designLowShelf({ ...base, gainDb: 3, slope: 0 }));
    expectInvalid(() => designHighShelf({ ...base, gainDb: 3, slope: 1, q: 0.7 }));
    expectInvalid(() => designHighPass({ ...base, q: 200 }));
    expectInvalid(() => designLowPass({ ...base, q: -1 }));
    expectInvalid(() => designButterworthHighPass({ ...base, order: 0 }));
    expectInvalid(() => designButterworthHighPass({ ...base, order: 9 }));
    expectInvalid(() => designButterworthHighPass({ ...base, order: 2.5 }));
  });
});
