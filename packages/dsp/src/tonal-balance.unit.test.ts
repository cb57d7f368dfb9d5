import { expectWithin, silence, whiteNoise, xorshift32 } from '@lacquer/testing';
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { designHighShelf } from './biquad-design.ts';
import { biquadMagnitudeDb, createBiquadCascade } from './biquad-filter.ts';
import { kWeightingCoefficients } from './k-weighting.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { thirdOctaveBandEdges } from './third-octave-bands.ts';
import {
  measureTonalBalance,
  TONAL_BALANCE_CENTRES_HZ,
  type TonalBalance,
  tonalBalanceOfSpectrum,
  tonalDistanceDb,
} from './tonal-balance.ts';
import { measureWelchPowerSpectrum } from './welch-power-spectrum.ts';

/**
 * Scaling by a power of two is exact in float32 and in every float64 operation of the FFT and
 * the K-weighting filters: only the final logarithms differ, by round-off.
 */
const EXACT_GAIN_TOLERANCE_DB = 1e-9;
/**
 * The same noise before and after a smooth filter: the band-power ratio is the response
 * averaged over the band, weighted by the noise's own periodogram instead of uniformly; the
 * shelf varies by under 2 dB across any band, so the weighting moves the ratio by < 0.05 dB.
 */
const FILTERED_BAND_TOLERANCE_DB = 0.05;
/** Float64 round-off of two transforms and two K-weighted sums of the same samples. */
const ROUNDING_TOLERANCE_DB = 1e-9;
/**
 * White against pink noise drawn from the same random bins (see `powerLawNoise`): each band's
 * estimation noise is common to both except for pink's 1 dB fall across the band, so the
 * per-band residual against the analytic model is a few hundredths of a dB (at most 0.031 dB,
 * in the 80 Hz band, on the seed used) and the distance's about 0.005 dB.
 */
const NOISE_BAND_TOLERANCE_DB = 0.1;
const NOISE_DISTANCE_TOLERANCE_DB = 0.03;

const BAND_EDGES = TONAL_BALANCE_CENTRES_HZ.map((_, i) => thirdOctaveBandEdges(i - 15));

/** Raw band level (dB re full-scale mean square): the balance with its loudness put back. */
const bandLevelsDb = (balance: TonalBalance): number[] =>
  balance.bandsDb.map((levelDb) => levelDb + balance.integratedLufs);

const scaled = (audio: PlanarAudio, gainLinear: number): PlanarAudio => ({
  ...audio,
  channels: audio.channels.map((channel) => channel.map((x) => x * gainLinear)),
});

/**
 * Gaussian noise with a power density ∝ f^(−slope) down to the first bin (0: white, 1: pink),
 * by inverse FFT of `lengthSamples` (a power of two) random complex bins of magnitude
 * ∝ f^(−slope/2): the real and imaginary parts are two independent channels, each scaled to
 * `rmsDbfs`. Every slope draws the same random bins, so two slopes differ only in shape.
 */
function powerLawNoise(
  sampleRateHz: number,
  lengthSamples: number,
  rmsDbfs: number,
  slope: number,
): PlanarAudio {
  const random = xorshift32(12_345);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const spectrum = new Float64Array(2 * lengthSamples);
  for (let k = 1; k < lengthSamples; k++) {
    const magnitude = Math.min(k, lengthSamples - k) ** (-slope / 2);
    spectrum[2 * k] = magnitude * gaussian();
    spectrum[2 * k + 1] = magnitude * gaussian();
  }
  const fft = new FFT(lengthSamples);
  const signal = new Float64Array(2 * lengthSamples);
  fft.inverseTransform(signal, spectrum);
  return {
    sampleRateHz,
    channels: [0, 1].map((part) => {
      let sumSquares = 0;
      for (let n = 0; n < lengthSamples; n++) sumSquares += signal[2 * n + part]! ** 2;
      const gain = 10 ** (rmsDbfs / 20) / Math.sqrt(sumSquares / lengthSamples);
      return Float32Array.from({ length: lengthSamples }, (_, n) => gain * signal[2 * n + part]!);
    }),
  };
}

/**
 * `∫ g(f) d(ln f)` from 0.01 Hz to `topHz` by the midpoint rule on 200 000 log-spaced steps
 * (the integrands are smooth in ln f; far more steps than their 5 significant figures need).
 */
function integrateLogFrequency(g: (frequencyHz: number) => number, topHz: number): number {
  const steps = 200_000;
  const lowHz = 0.01;
  const stepLn = Math.log(topHz / lowHz) / steps;
  let total = 0;
  for (let i = 0; i < steps; i++) total += g(lowHz * Math.exp((i + 0.5) * stepLn)) * stepLn;
  return total;
}

describe('tonal balance', () => {
  it('lists the 28 ISO 266 bands 31.5 Hz … 16 kHz', () => {
    expect(TONAL_BALANCE_CENTRES_HZ).toHaveLength(28);
    expect(TONAL_BALANCE_CENTRES_HZ[0]).toBe(31.5);
    expect(TONAL_BALANCE_CENTRES_HZ[15]).toBe(1000);
    expect(TONAL_BALANCE_CENTRES_HZ[27]).toBe(16_000);
  });

  it('property: a programme is at distance 0 from itself and from any gain change of it', () => {
    const noise = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 3, rmsDbfs: -20 });
    const balance = measureTonalBalance(noise);
    expect(balance.bandsDb).toHaveLength(28);
    expect(tonalDistanceDb(balance, balance)).toBe(0);
    const quieter = measureTonalBalance(scaled(noise, 1 / 8));
    expectWithin(
      quieter.integratedLufs - balance.integratedLufs,
      -20 * Math.log10(8),
      EXACT_GAIN_TOLERANCE_DB,
      'loudness',
    );
    expectWithin(tonalDistanceDb(quieter, balance), 0, EXACT_GAIN_TOLERANCE_DB, 'distance');
  });

  it('property: a +6 dB high shelf at 2 kHz raises the high bands and, after loudness matching, lowers the low ones', () => {
    const sampleRateHz = 48_000;
    const noise = whiteNoise({ sampleRateHz, durationSeconds: 10, rmsDbfs: -20 });
    const shelf = designHighShelf({ sampleRateHz, frequencyHz: 2000, gainDb: 6 });
    const bright = { sampleRateHz, channels: noise.channels.map((c) => new Float32Array(c.length)) };
    createBiquadCascade({ sections: [shelf], channelCount: 2, sampleRateHz }).process(
      noise.channels,
      bright.channels,
    );
    const before = measureTonalBalance(noise);
    const after = measureTonalBalance(bright);
    const loudnessChangeLu = after.integratedLufs - before.integratedLufs;
    expect(loudnessChangeLu).toBeGreaterThan(1);
    const levelsBefore = bandLevelsDb(before);
    const levelsAfter = bandLevelsDb(after);
    BAND_EDGES.forEach((band, i) => {
      // White noise: the band's power gain is the shelf's power response averaged over the band.
      const points = 200;
      let powerGain = 0;
      for (let j = 0; j < points; j++) {
        const frequencyHz =
          band.lowerEdgeFrequencyHz +
          ((j + 0.5) / points) * (band.upperEdgeFrequencyHz - band.lowerEdgeFrequencyHz);
        powerGain += 10 ** (biquadMagnitudeDb(shelf, frequencyHz, sampleRateHz) / 10) / points;
      }
      const label = `${TONAL_BALANCE_CENTRES_HZ[i]} Hz`;
      const expectedDb = 10 * Math.log10(powerGain);
      expectWithin(levelsAfter[i]! - levelsBefore[i]!, expectedDb, FILTERED_BAND_TOLERANCE_DB, label);
      expectWithin(
        after.bandsDb[i]! - before.bandsDb[i]!,
        expectedDb - loudnessChangeLu,
        FILTERED_BAND_TOLERANCE_DB,
        label,
      );
    });
    // Bands far under the shelf only follow the loudness; those far above gain 6 dB less it.
    expect(after.bandsDb[0]! - before.bandsDb[0]!).toBeLessThan(-loudnessChangeLu + 0.05);
    expect(after.bandsDb[27]! - before.bandsDb[27]!).toBeGreaterThan(6 - loudnessChangeLu - 0.05);
  });

  it('differential: white against pink noise matches the analytic 1/f and flat model', () => {
    const sampleRateHz = 44_100;
    const lengthSamples = 2 ** 20;
    const white = powerLawNoise(sampleRateHz, lengthSamples, -20, 0);
    const pink = powerLawNoise(sampleRateHz, lengthSamples, -20, 1);
    // Per band: white has power ∝ bandwidth, pink ∝ ln 2^(1/3) (equal per band); their loudness
    // differs by the K-weighted integrals ∫|K|² df and ∫|K|²/f df (BS.1770-4 Annex 1).
    const kWeighting = kWeightingCoefficients(sampleRateHz);
    const kPower = (frequencyHz: number) =>
      10 ** (biquadMagnitudeDb(kWeighting, frequencyHz, sampleRateHz) / 10);
    const nyquistHz = sampleRateHz / 2;
    const whiteWeighted = integrateLogFrequency((f) => kPower(f) * f, nyquistHz);
    const pinkWeighted = integrateLogFrequency(kPower, nyquistHz);
    const expectedDb = BAND_EDGES.map(
      (band) =>
        10 * Math.log10((band.upperEdgeFrequencyHz - band.lowerEdgeFrequencyHz) / (Math.log(2) / 3)) -
        10 * Math.log10(whiteWeighted / pinkWeighted),
    );
    const expectedDistanceDb = Math.sqrt(expectedDb.reduce((s, d) => s + d * d, 0) / expectedDb.length);

    const whiteBalance = measureTonalBalance(white);
    const pinkBalance = measureTonalBalance(pink);
    whiteBalance.bandsDb.forEach((levelDb, i) => {
      expectWithin(
        levelDb - pinkBalance.bandsDb[i]!,
        expectedDb[i]!,
        NOISE_BAND_TOLERANCE_DB,
        `${TONAL_BALANCE_CENTRES_HZ[i]} Hz`,
      );
    });
    expectWithin(
      tonalDistanceDb(whiteBalance, pinkBalance),
      expectedDistanceDb,
      NOISE_DISTANCE_TOLERANCE_DB,
      'distance',
    );
  });

  it('property: channels are averaged as power, while BS.1770 sums them: anti-phase stereo reads 3.01 dB under mono', () => {
    const mono = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 2, rmsDbfs: -20, channelCount: 1 });
    const x = mono.channels[0]!;
    const antiPhase = { ...mono, channels: [x, x.map((v) => -v)] };
    const stereoBalance = measureTonalBalance(antiPhase);
    const monoBalance = measureTonalBalance(mono);
    stereoBalance.bandsDb.forEach((levelDb, i) => {
      // A downmix would be silent; the power average is the mono spectrum.
      expectWithin(
        levelDb - monoBalance.bandsDb[i]!,
        -10 * Math.log10(2),
        ROUNDING_TOLERANCE_DB,
        `${TONAL_BALANCE_CENTRES_HZ[i]} Hz`,
      );
    });
  });

  it('tonalBalanceOfSpectrum of the definition spectrum equals measureTonalBalance', () => {
    const noise = whiteNoise({ sampleRateHz: 96_000, durationSeconds: 1, rmsDbfs: -20 });
    const direct = measureTonalBalance(noise);
    const spectrum = measureWelchPowerSpectrum(noise, { segmentSamples: 32_768, overlapRatio: 0.5 });
    const composed = tonalBalanceOfSpectrum(spectrum, direct.integratedLufs);
    expectWithin(tonalDistanceDb(direct, composed), 0, 0, 'distance');
  });

  it('edge: silence reads −Infinity loudness and bands, which tonalDistanceDb refuses', () => {
    const quiet = measureTonalBalance(silence({ sampleRateHz: 44_100, durationSeconds: 1 }));
    expect(quiet.integratedLufs).toBe(Number.NEGATIVE_INFINITY);
    for (const levelDb of quiet.bandsDb) expect(levelDb).toBe(Number.NEGATIVE_INFINITY);
    const loud = measureTonalBalance(whiteNoise({ sampleRateHz: 44_100, durationSeconds: 1, rmsDbfs: -20 }));
    const invalid = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });
    expect(() => tonalDistanceDb(loud, quiet)).toThrow(invalid);
    expect(() => tonalDistanceDb(quiet, loud)).toThrow(invalid);
    expect(() => tonalDistanceDb(loud, { ...loud, bandsDb: loud.bandsDb.slice(1) })).toThrow(invalid);
  });

  it('rejects rates whose Nyquist is under the 16 kHz band (17.96 kHz) and a NaN loudness', () => {
    const invalid = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });
    expect(() => measureTonalBalance(silence({ sampleRateHz: 32_000, durationSeconds: 0.5 }))).toThrow(
      invalid,
    );
    expect(() => measureTonalBalance(silence({ sampleRateHz: 35_900, durationSeconds: 0.5 }))).toThrow(
      invalid,
    );
    expect(measureTonalBalance(silence({ sampleRateHz: 36_000, durationSeconds: 0.5 })).bandsDb).toHaveLength(
      28,
    );
    const spectrum = measureWelchPowerSpectrum(silence({ sampleRateHz: 44_100, durationSeconds: 0.5 }));
    expect(() => tonalBalanceOfSpectrum(spectrum, Number.NaN)).toThrow(invalid);
    expect(() => tonalBalanceOfSpectrum(spectrum, Number.POSITIVE_INFINITY)).toThrow(invalid);
  });
});
