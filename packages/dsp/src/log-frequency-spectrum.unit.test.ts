import { expectWithin, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { designLowShelf } from './biquad-design.ts';
import { biquadMagnitudeDb, createBiquadCascade } from './biquad-filter.ts';
import { toLogFrequencySpectrum } from './log-frequency-spectrum.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { measureWelchPowerSpectrum, type PowerSpectrum } from './welch-power-spectrum.ts';

/** Sums and logarithms of float64 values: round-off only. */
const ROUNDING_TOLERANCE_DB = 1e-9;
/**
 * What a match EQ needs. The same noise before and after a +4 dB shelf, so the ratio is the
 * shelf's power response averaged over the 1/6-octave window (at least 3 bins), weighted by
 * the noise's periodogram: the shelf changes by under 0.46 dB across any such window, and
 * the ratio stays within 0.022 dB of the response on the signal used.
 */
const SHELF_TOLERANCE_DB = 0.3;

/** An exact white spectrum: mean square `meanSquare` spread evenly, DC and Nyquist half-width. */
function whiteSpectrum(sampleRateHz: number, fftSizeSamples: number, meanSquare: number): PowerSpectrum {
  const halfSize = fftSizeSamples / 2;
  const powers = new Float64Array(halfSize + 1).fill(meanSquare / halfSize);
  powers[0] = meanSquare / fftSizeSamples;
  powers[halfSize] = meanSquare / fftSizeSamples;
  return {
    sampleRateHz,
    fftSizeSamples,
    binWidthHz: sampleRateHz / fftSizeSamples,
    powers,
    segmentCount: 1,
    skippedSegmentCount: 0,
  };
}

/**
 * Welch estimate of white noise in a window of B bins from K Hann segments at 50 % overlap and
 * C independent channels: relative SD ≈ √(1.5 / (B·C·K/2)) (1.5 bins of equivalent noise
 * bandwidth; half the segments counted, for their overlap). Tolerance 4σ in dB (4.34 dB per unit).
 */
function noiseToleranceDb(windowBins: number, segmentCount: number, channelCount: number): number {
  return 4 * 4.343 * Math.sqrt(1.5 / ((windowBins * channelCount * segmentCount) / 2));
}

describe('toLogFrequencySpectrum', () => {
  it('spec: an exact white spectrum of mean square σ² reads 10·log10(σ² / Nyquist) at every point, DC and Nyquist included', () => {
    const sampleRateHz = 48_000;
    const spectrum = whiteSpectrum(sampleRateHz, 4096, 0.01);
    const expectedDb = 10 * Math.log10(0.01 / (sampleRateHz / 2));
    const everywhere = toLogFrequencySpectrum(spectrum, {
      minFrequencyHz: 1,
      maxFrequencyHz: sampleRateHz / 2,
      smoothingOctaves: 0,
    });
    for (const levelDb of everywhere.levelsDb)
      expectWithin(levelDb, expectedDb, ROUNDING_TOLERANCE_DB, 'level');
    for (const levelDb of toLogFrequencySpectrum(spectrum).levelsDb) {
      expectWithin(levelDb, expectedDb, ROUNDING_TOLERANCE_DB, 'default grid');
    }
  });

  it('builds the grid min · 2^(j / pointsPerOctave) up to max, with the documented defaults', () => {
    const spectrum = whiteSpectrum(48_000, 4096, 1);
    const grid = toLogFrequencySpectrum(spectrum, { minFrequencyHz: 20, maxFrequencyHz: 20_480 });
    expect(grid.frequenciesHz).toHaveLength(10 * 24 + 1);
    expectWithin(grid.frequenciesHz[0]!, 20, 0, 'first');
    expectWithin(grid.frequenciesHz[24]!, 40, 0, 'one octave up');
    expectWithin(grid.frequenciesHz.at(-1)!, 20_480, 0, 'last');
    const defaults = toLogFrequencySpectrum(spectrum).frequenciesHz;
    expect(defaults[0]).toBe(20);
    expect(defaults.at(-1)!).toBeLessThanOrEqual(20_000);
    expect(defaults.at(-1)! * 2 ** (1 / 24)).toBeGreaterThan(20_000);
    // At 32 kHz the default top is 0.9 × Nyquist.
    const low = toLogFrequencySpectrum(whiteSpectrum(32_000, 4096, 1), { pointsPerOctave: 3 }).frequenciesHz;
    expect(low.at(-1)!).toBeLessThanOrEqual(14_400);
    expect(low.at(-1)! * 2 ** (1 / 3)).toBeGreaterThan(14_400);
  });

  it('spec: each point averages the bins within ±smoothing/2 octaves, or the 3 bins nearest it', () => {
    const spectrum = whiteSpectrum(48_000, 4096, 0);
    const binWidthHz = spectrum.binWidthHz;
    spectrum.powers[100] = 1;
    const options = { smoothingOctaves: 0, pointsPerOctave: 1 };
    const at = (frequencyHz: number, smoothingOctaves = 0) =>
      toLogFrequencySpectrum(spectrum, { ...options, smoothingOctaves, minFrequencyHz: frequencyHz })
        .levelsDb[0]!;
    const densityDb = (bins: number) => 10 * Math.log10(1 / (bins * binWidthHz));
    expectWithin(at(100 * binWidthHz), densityDb(3), ROUNDING_TOLERANCE_DB, 'centre bin');
    expectWithin(at(101.4 * binWidthHz), densityDb(3), ROUNDING_TOLERANCE_DB, 'bins 100–102');
    expect(at(101.6 * binWidthHz)).toBe(Number.NEGATIVE_INFINITY);
    // ±1/12 octave of bin 96 spans bins 90.6 … 101.7: bins 91 … 101.
    expectWithin(at(96 * binWidthHz, 1 / 6), densityDb(11), ROUNDING_TOLERANCE_DB, '1/6 octave');
  });

  it('property: white noise reads flat within its estimation noise', () => {
    const sampleRateHz = 44_100;
    const noise = whiteNoise({ sampleRateHz, durationSeconds: 30, rmsDbfs: -20 });
    const spectrum = measureWelchPowerSpectrum(noise, { segmentSamples: 8192 });
    const smoothingOctaves = 1 / 6;
    const log = toLogFrequencySpectrum(spectrum, { smoothingOctaves });
    const expectedDb = -20 - 10 * Math.log10(sampleRateHz / 2);
    log.levelsDb.forEach((levelDb, j) => {
      const frequencyHz = log.frequenciesHz[j]!;
      const windowBins = Math.max(
        3,
        (frequencyHz * (2 ** (smoothingOctaves / 2) - 2 ** (-smoothingOctaves / 2))) / spectrum.binWidthHz -
          1,
      );
      expectWithin(
        levelDb,
        expectedDb,
        noiseToleranceDb(windowBins, spectrum.segmentCount, 2),
        `${frequencyHz.toFixed(1)} Hz`,
      );
    });
  });

  it('property: a gain of G dB shifts every level by exactly G dB', () => {
    const noise = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 2, rmsDbfs: -20 });
    const quieter = { ...noise, channels: noise.channels.map((c) => c.map((x) => x / 8)) };
    const before = toLogFrequencySpectrum(measureWelchPowerSpectrum(noise)).levelsDb;
    const after = toLogFrequencySpectrum(measureWelchPowerSpectrum(quieter)).levelsDb;
    // Dividing by 8 is exact in float32 and float64: only the logarithms round.
    after.forEach((levelDb, j) => {
      expectWithin(levelDb - before[j]!, -20 * Math.log10(8), ROUNDING_TOLERANCE_DB, `point ${j}`);
    });
  });

  it('differential: the ratio of the spectra of noise with and without a +4 dB low shelf at 150 Hz follows the shelf', () => {
    const sampleRateHz = 44_100;
    const noise = whiteNoise({ sampleRateHz, durationSeconds: 20, rmsDbfs: -20 });
    const shelf = designLowShelf({ sampleRateHz, frequencyHz: 150, gainDb: 4 });
    const warm: PlanarAudio = {
      sampleRateHz,
      channels: noise.channels.map((c) => new Float32Array(c.length)),
    };
    createBiquadCascade({ sections: [shelf], channelCount: 2, sampleRateHz }).process(
      noise.channels,
      warm.channels,
    );
    const dry = toLogFrequencySpectrum(measureWelchPowerSpectrum(noise));
    const wet = toLogFrequencySpectrum(measureWelchPowerSpectrum(warm));
    dry.frequenciesHz.forEach((frequencyHz, j) => {
      expectWithin(
        wet.levelsDb[j]! - dry.levelsDb[j]!,
        biquadMagnitudeDb(shelf, frequencyHz, sampleRateHz),
        SHELF_TOLERANCE_DB,
        `${frequencyHz.toFixed(1)} Hz`,
      );
    });
  });

  it('edge: a silent spectrum reads −Infinity everywhere', () => {
    const log = toLogFrequencySpectrum(whiteSpectrum(44_100, 4096, 0));
    for (const levelDb of log.levelsDb) expect(levelDb).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rejects options out of range with DSP_INVALID_PARAMETER', () => {
    const spectrum = whiteSpectrum(44_100, 4096, 1);
    const invalid = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });
    const cases = [
      { pointsPerOctave: 0 },
      { pointsPerOctave: Number.NaN },
      { smoothingOctaves: -0.1 },
      { smoothingOctaves: 5 },
      { minFrequencyHz: 0 },
      { minFrequencyHz: 1000, maxFrequencyHz: 1000 },
      { maxFrequencyHz: 30_000 },
    ];
    for (const options of cases) expect(() => toLogFrequencySpectrum(spectrum, options)).toThrow(invalid);
    expect(() => toLogFrequencySpectrum(whiteSpectrum(40, 64, 1))).toThrow(invalid);
  });
});
