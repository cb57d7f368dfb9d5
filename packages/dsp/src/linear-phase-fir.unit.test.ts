import { expectWithin } from '@lacquer/testing';
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import type { BiquadCoefficients } from './biquad-coefficients.ts';
import { designHighShelf, designLowShelf, designPeaking } from './biquad-design.ts';
import { biquadMagnitudeDb } from './biquad-filter.ts';
import {
  defaultFirLengthSamples,
  designLinearPhaseFir,
  interpolateLogFrequency,
} from './linear-phase-fir.ts';

const INVALID = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });

/**
 * The match EQ's requirement: the realised magnitude within 0.05 dB of the wanted one from
 * 25 Hz to 18 kHz, so that a 1/3-octave comparison after undoing a de-mastering differs by
 * well under 0.1 dB RMS. Measured for the 1/3-octave curve at the default length: 0.0066 dB
 * (at the 400 Hz corner).
 */
const MATCH_EQ_ACCURACY_DB = 0.05;
/**
 * Biquad (smooth) targets: the window leaves their taps untouched, so only the float32
 * rounding of the taps remains (measured under 10⁻⁶ dB at 44.1, 48 and 96 kHz). A tapered
 * window over the whole length would blur them by 0.001 dB or more (Blackman).
 */
const SMOOTH_TARGET_ACCURACY_DB = 1e-4;
const ACCURACY_FROM_HZ = 25;
const ACCURACY_TO_HZ = 18_000;
/** Round-off of log/exp in float64 over a few operations. */
const INTERPOLATION_TOLERANCE_DB = 1e-12;

/** ISO 266 1/3-octave centres 25 Hz … 20 kHz. */
const THIRD_OCTAVE_CENTRES_HZ = [
  25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500,
  3150, 4000, 5000, 6300, 8000, 10_000, 12_500, 16_000, 20_000,
];

/** The de-mastering the match EQ must undo: +4 dB low shelf at 150 Hz, −5 dB high shelf at 6 kHz, +3 dB bell at 400 Hz. */
function deMastering(sampleRateHz: number): BiquadCoefficients[] {
  return [
    designLowShelf({ sampleRateHz, frequencyHz: 150, gainDb: 4 }),
    designHighShelf({ sampleRateHz, frequencyHz: 6000, gainDb: -5 }),
    designPeaking({ sampleRateHz, frequencyHz: 400, gainDb: 3, q: 1.4 }),
  ];
}

/**
 * Largest |realised − wanted| in dB over the bins of a 4× zero-padded FFT of the taps (bins
 * under 1 Hz apart at 44.1 kHz) between {@link ACCURACY_FROM_HZ} and {@link ACCURACY_TO_HZ}.
 */
function worstErrorDb(taps: Float32Array, sampleRateHz: number, gainDbAt: (frequencyHz: number) => number) {
  let size = 4;
  while (size < 4 * taps.length) size *= 2;
  const padded = new Float64Array(size);
  padded.set(taps);
  const bins = new Float64Array(2 * size);
  new FFT(size).realTransform(bins, padded);
  let worstDb = 0;
  const firstBin = Math.ceil((ACCURACY_FROM_HZ * size) / sampleRateHz);
  const lastBin = Math.floor((ACCURACY_TO_HZ * size) / sampleRateHz);
  for (let k = firstBin; k <= lastBin; k++) {
    const realisedDb = 10 * Math.log10(bins[2 * k]! ** 2 + bins[2 * k + 1]! ** 2);
    worstDb = Math.max(worstDb, Math.abs(realisedDb - gainDbAt((k * sampleRateHz) / size)));
  }
  return worstDb;
}

describe('defaultFirLengthSamples', () => {
  it('16385 taps at 44.1 and 48 kHz, scaled by whole octaves of the rate, odd', () => {
    expect(defaultFirLengthSamples(44_100)).toBe(16_385);
    expect(defaultFirLengthSamples(48_000)).toBe(16_385);
    expect(defaultFirLengthSamples(88_200)).toBe(32_769);
    expect(defaultFirLengthSamples(96_000)).toBe(32_769);
    expect(defaultFirLengthSamples(192_000)).toBe(65_537);
    expect(defaultFirLengthSamples(22_050)).toBe(8193);
    expect(defaultFirLengthSamples(1000)).toBe(1025);
  });

  it('rejects a rate that is not finite and positive', () => {
    expect(() => defaultFirLengthSamples(0)).toThrow(INVALID);
    expect(() => defaultFirLengthSamples(Number.NaN)).toThrow(INVALID);
  });
});

describe('designLinearPhaseFir', () => {
  it('property: taps are exactly symmetric (linear phase, latency (L − 1)/2)', () => {
    const sampleRateHz = 48_000;
    const sections = deMastering(sampleRateHz);
    for (const lengthSamples of [1, 3, 255, 4097]) {
      const taps = designLinearPhaseFir({
        sampleRateHz,
        lengthSamples,
        gainDbAt: (frequencyHz) => biquadMagnitudeDb(sections, frequencyHz, sampleRateHz),
      });
      expect(taps).toHaveLength(lengthSamples);
      for (let n = 0; n < lengthSamples; n++) {
        expect(taps[n], `tap ${n} of ${lengthSamples}`).toBe(taps[lengthSamples - 1 - n]);
      }
    }
  });

  it('edge: a flat 0 dB target gives an exact unit impulse at the centre (bit-exact identity)', () => {
    for (const lengthSamples of [1, 31, 16_385]) {
      const taps = designLinearPhaseFir({ sampleRateHz: 44_100, lengthSamples, gainDbAt: () => 0 });
      const centre = (lengthSamples - 1) / 2;
      // Exactness is the requirement here (amount 0 % must not change a bit), so toBe.
      taps.forEach((tap, n) => {
        expect(tap, `tap ${n}`).toBe(n === centre ? 1 : 0);
      });
    }
  });

  it('spec: a flat gain g gives 10^(g/20) at every frequency', () => {
    const taps = designLinearPhaseFir({ sampleRateHz: 44_100, lengthSamples: 1025, gainDbAt: () => -6 });
    expectWithin(
      worstErrorDb(taps, 44_100, () => -6),
      0,
      SMOOTH_TARGET_ACCURACY_DB,
      'flat',
    );
  });

  it.each([44_100, 48_000, 96_000])(
    'spec: undoes the de-mastering chain from 25 Hz to 18 kHz at %i Hz (default length; required 0.05 dB)',
    (sampleRateHz) => {
      const sections = deMastering(sampleRateHz);
      const lengthSamples = defaultFirLengthSamples(sampleRateHz);
      const targets: Record<string, (frequencyHz: number) => number> = {
        lowShelf: (f) => -biquadMagnitudeDb(sections[0]!, f, sampleRateHz),
        highShelf: (f) => -biquadMagnitudeDb(sections[1]!, f, sampleRateHz),
        bell: (f) => -biquadMagnitudeDb(sections[2]!, f, sampleRateHz),
        chain: (f) => -biquadMagnitudeDb(sections, f, sampleRateHz),
      };
      for (const [name, gainDbAt] of Object.entries(targets)) {
        const taps = designLinearPhaseFir({ sampleRateHz, lengthSamples, gainDbAt });
        expectWithin(worstErrorDb(taps, sampleRateHz, gainDbAt), 0, SMOOTH_TARGET_ACCURACY_DB, name);
      }
    },
  );

  it.each([44_100, 48_000])(
    'spec: the same chain as a 1/3-octave curve (interpolateLogFrequency) within 0.05 dB at %i Hz',
    (sampleRateHz) => {
      const sections = deMastering(sampleRateHz);
      const valuesDb = THIRD_OCTAVE_CENTRES_HZ.map((f) => -biquadMagnitudeDb(sections, f, sampleRateHz));
      const gainDbAt = (f: number) => interpolateLogFrequency(THIRD_OCTAVE_CENTRES_HZ, valuesDb, f);
      const taps = designLinearPhaseFir({
        sampleRateHz,
        lengthSamples: defaultFirLengthSamples(sampleRateHz),
        gainDbAt,
      });
      expectWithin(worstErrorDb(taps, sampleRateHz, gainDbAt), 0, MATCH_EQ_ACCURACY_DB, '1/3-octave curve');
    },
  );

  it('rejects an even, zero or fractional length, a bad rate and a NaN or +∞ gain', () => {
    const gainDbAt = () => 1;
    expect(() => designLinearPhaseFir({ sampleRateHz: 48_000, lengthSamples: 16, gainDbAt })).toThrow(
      INVALID,
    );
    expect(() => designLinearPhaseFir({ sampleRateHz: 48_000, lengthSamples: 0, gainDbAt })).toThrow(INVALID);
    expect(() => designLinearPhaseFir({ sampleRateHz: 48_000, lengthSamples: 2.5, gainDbAt })).toThrow(
      INVALID,
    );
    expect(() => designLinearPhaseFir({ sampleRateHz: 0, lengthSamples: 15, gainDbAt })).toThrow(INVALID);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() =>
        designLinearPhaseFir({ sampleRateHz: 48_000, lengthSamples: 15, gainDbAt: () => bad }),
      ).toThrow(INVALID);
    }
  });
});

describe('interpolateLogFrequency', () => {
  const pointsHz = [100, 1000, 10_000];
  const valuesDb = [2, -4, 6];

  it('passes through the points and is linear in log-frequency between them', () => {
    pointsHz.forEach((f, i) => {
      expectWithin(interpolateLogFrequency(pointsHz, valuesDb, f), valuesDb[i]!, INTERPOLATION_TOLERANCE_DB);
    });
    // The geometric mean of two points is halfway in log-frequency.
    expectWithin(interpolateLogFrequency(pointsHz, valuesDb, Math.sqrt(1e5)), -1, INTERPOLATION_TOLERANCE_DB);
    expectWithin(
      interpolateLogFrequency(pointsHz, valuesDb, 1000 * 10 ** 0.25),
      -4 + 0.25 * 10,
      INTERPOLATION_TOLERANCE_DB,
    );
  });

  it('edge: held constant beyond the ends, DC included; one point is a constant', () => {
    expect(interpolateLogFrequency(pointsHz, valuesDb, 0)).toBe(2);
    expect(interpolateLogFrequency(pointsHz, valuesDb, 20)).toBe(2);
    expect(interpolateLogFrequency(pointsHz, valuesDb, 24_000)).toBe(6);
    expect(interpolateLogFrequency(new Float64Array([440]), new Float64Array([-3]), 50)).toBe(-3);
    expect(interpolateLogFrequency([440], [-3], 5000)).toBe(-3);
  });

  it('rejects mismatched lengths, no points, unsorted or non-positive points, non-finite values', () => {
    expect(() => interpolateLogFrequency([100, 200], [1], 150)).toThrow(INVALID);
    expect(() => interpolateLogFrequency([], [], 150)).toThrow(INVALID);
    expect(() => interpolateLogFrequency([200, 100], [1, 2], 150)).toThrow(INVALID);
    expect(() => interpolateLogFrequency([100, 100], [1, 2], 150)).toThrow(INVALID);
    expect(() => interpolateLogFrequency([0, 100], [1, 2], 50)).toThrow(INVALID);
    expect(() => interpolateLogFrequency([100, 200], [1, Number.NaN], 150)).toThrow(INVALID);
  });
});
