import { concat, expectWithin, silence, sine, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { measureThirdOctaveSpectrum } from './measure-third-octave-spectrum.ts';

/** −10·log10(2): a 0 dBFS sine has mean square 1/2. */
const SINE_BAND_LEVEL_DB = -10 * Math.log10(2);
/**
 * A sine at a band centre ≥ 250 Hz keeps its Hann main lobe (±2 bins, ±12 Hz) inside the band;
 * what the sidelobes carry out of it is below −50 dB (0.0001 dB of the band's power).
 */
const SINE_IN_BAND_TOLERANCE_DB = 0.01;
/**
 * Hann sidelobes start at −31 dB and fall 18 dB/octave; a 250 Hz sine is 8 bins from the next
 * band's centre at 44.1 kHz, where the neighbouring band measures about −57 dB.
 */
const OTHER_BANDS_MAX_DB = -50;
/** Frames straddling the end of a gated tone carry only part of it and pull the average down. */
const GATE_EDGE_TOLERANCE_DB = 0.3;
/**
 * 1000 samples at 48 kHz: 48 Hz bins, main lobe ±96 Hz, still inside the 891–1122 Hz band;
 * 20.8 cycles under the window estimate the mean square to about 0.1 % (0.005 dB).
 */
const SHORT_FRAME_TOLERANCE_DB = 0.05;
/** Two float64 powers of 2^(1/6): round-off only. */
const RATIO_ROUNDING_TOLERANCE = 1e-12;
/** Same arithmetic on the same samples, different order: float64 round-off. */
const ROUNDING_TOLERANCE_DB = 1e-9;

/**
 * Welch estimate of white noise in a band of B bins from K Hann frames without overlap: the
 * band power's relative SD is ≈ √(1.5 / (B·K)) (1.5 bins of equivalent noise bandwidth; the
 * frames are independent, Welch 1967; the one frame aligned to the end overlaps the others,
 * which changes K by at most one). Tolerance 4σ, in dB (4.34 dB per unit).
 */
function noiseBandToleranceDb(bandwidthHz: number, binWidthHz: number, frameCount: number): number {
  return 4 * 4.343 * Math.sqrt(1.5 / ((bandwidthHz / binWidthHz) * (frameCount - 1)));
}

describe('measureThirdOctaveSpectrum', () => {
  it('spec: a 0 dBFS sine at an exact band centre reads −3.01 dB in its band (44.1 and 48 kHz)', () => {
    for (const sampleRateHz of [44_100, 48_000]) {
      for (const k of [-6, 0, 7]) {
        const frequencyHz = 1000 * 2 ** (k / 3);
        const spectrum = measureThirdOctaveSpectrum(
          sine({ sampleRateHz, durationSeconds: 3, frequencyHz, peakDbfs: 0 }),
        );
        const band = spectrum.bands.find((b) => Math.abs(b.centreFrequencyHz - frequencyHz) < 1e-6);
        expectWithin(
          band!.levelDb,
          SINE_BAND_LEVEL_DB,
          SINE_IN_BAND_TOLERANCE_DB,
          `${frequencyHz} Hz at ${sampleRateHz}`,
        );
        for (const other of spectrum.bands) {
          if (other === band) continue;
          expect(other.levelDb, `${other.nominalCentreFrequencyHz} Hz band`).toBeLessThan(OTHER_BANDS_MAX_DB);
        }
      }
    }
  });

  it('spec: white noise of RMS r dBFS reads r + 10·log10(bandwidth / Nyquist) in each band', () => {
    const sampleRateHz = 48_000;
    const spectrum = measureThirdOctaveSpectrum(
      whiteNoise({ sampleRateHz, durationSeconds: 20, rmsDbfs: -20 }),
    );
    const binWidthHz = sampleRateHz / spectrum.fftSizeSamples;
    for (const band of spectrum.bands.filter((b) => b.centreFrequencyHz > 240)) {
      const bandwidthHz = band.upperEdgeFrequencyHz - band.lowerEdgeFrequencyHz;
      expectWithin(
        band.levelDb,
        -20 + 10 * Math.log10(bandwidthHz / (sampleRateHz / 2)),
        noiseBandToleranceDb(bandwidthHz, binWidthHz, spectrum.analyzedFrameCount),
        `${band.nominalCentreFrequencyHz} Hz band`,
      );
    }
  });

  it('property: power is conserved: a low sine spread over neighbouring bands still sums to −3.01 dB', () => {
    const spectrum = measureThirdOctaveSpectrum(
      sine({ sampleRateHz: 44_100, durationSeconds: 3, frequencyHz: 1000 * 2 ** (-14 / 3), peakDbfs: 0 }),
    );
    const totalPower = spectrum.bands.reduce((sum, b) => sum + 10 ** (b.levelDb / 10), 0);
    expectWithin(
      10 * Math.log10(totalPower),
      SINE_BAND_LEVEL_DB,
      SINE_IN_BAND_TOLERANCE_DB,
      'sum of bands, 40 Hz sine',
    );
  });

  it('property: +g dB in moves every band by g dB', () => {
    const noise = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 2, rmsDbfs: -20 });
    const quieter = { ...noise, channels: noise.channels.map((c) => c.map((x) => x / 8)) };
    const before = measureThirdOctaveSpectrum(noise).bands;
    const after = measureThirdOctaveSpectrum(quieter).bands;
    // Dividing by 8 is exact in float32: the only difference is float64 round-off.
    after.forEach((band, i) => {
      expectWithin(band.levelDb - before[i]!.levelDb, -20 * Math.log10(8), ROUNDING_TOLERANCE_DB, 'gain');
    });
  });

  it('property: channels are averaged as power (a dual-mono signal reads like its mono version)', () => {
    const stereo = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 1, rmsDbfs: -20, correlated: true });
    const mono = { ...stereo, channels: [stereo.channels[0]!] };
    const a = measureThirdOctaveSpectrum(stereo).bands;
    const b = measureThirdOctaveSpectrum(mono).bands;
    a.forEach((band, i) => {
      expectWithin(band.levelDb, b[i]!.levelDb, ROUNDING_TOLERANCE_DB, `${band.nominalCentreFrequencyHz} Hz`);
    });
  });

  it('property: an odd channel count (one channel without a transform partner) still averages as power', () => {
    const stereo = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 1, rmsDbfs: -20, correlated: true });
    const mono = { ...stereo, channels: [stereo.channels[0]!] };
    const threeChannels = { ...stereo, channels: [...stereo.channels, stereo.channels[0]!.slice()] };
    const a = measureThirdOctaveSpectrum(threeChannels).bands;
    const b = measureThirdOctaveSpectrum(mono).bands;
    a.forEach((band, i) => {
      expectWithin(band.levelDb, b[i]!.levelDb, ROUNDING_TOLERANCE_DB, `${band.nominalCentreFrequencyHz} Hz`);
    });
  });

  it('lists ISO 266 bands from 20 Hz and omits those centred at or above Nyquist', () => {
    const at = (sampleRateHz: number) =>
      measureThirdOctaveSpectrum(silence({ sampleRateHz, durationSeconds: 0.5 })).bands.map(
        (b) => b.nominalCentreFrequencyHz,
      );
    expect(at(48_000)[0]).toBe(20);
    expect(at(48_000)).toHaveLength(31);
    expect(at(44_100).at(-1)).toBe(20_000);
    expect(at(32_000).at(-1)).toBe(12_500);
    const band = measureThirdOctaveSpectrum(silence({ sampleRateHz: 48_000, durationSeconds: 0.5 }))
      .bands[17]!;
    expect(band.nominalCentreFrequencyHz).toBe(1000);
    expectWithin(
      band.upperEdgeFrequencyHz / band.lowerEdgeFrequencyHz,
      2 ** (1 / 3),
      RATIO_ROUNDING_TOLERANCE,
      'edges',
    );
  });

  it('activity gate: silent frames are skipped, so a tone then silence reads like the tone alone', () => {
    const rate = { sampleRateHz: 48_000 };
    const tone = sine({ ...rate, durationSeconds: 2, frequencyHz: 1000, peakDbfs: 0 });
    const audio = concat(tone, silence({ ...rate, durationSeconds: 8 }));
    const ungated = measureThirdOctaveSpectrum(audio);
    const gated = measureThirdOctaveSpectrum(audio, { minFrameRmsDbfs: -70 });
    const level = (s: typeof gated) => s.bands.find((b) => b.nominalCentreFrequencyHz === 1000)!.levelDb;
    expect(gated.skippedFrameCount).toBeGreaterThan(0);
    expect(ungated.skippedFrameCount).toBe(0);
    expectWithin(level(gated), SINE_BAND_LEVEL_DB, GATE_EDGE_TOLERANCE_DB, 'gated');
    // Ungated, the tone fills a fifth of the time: about −7 dB lower.
    expectWithin(
      level(ungated),
      SINE_BAND_LEVEL_DB + 10 * Math.log10(2 / 10),
      GATE_EDGE_TOLERANCE_DB,
      'ungated',
    );
  });

  it('edge: audio shorter than one frame is analysed as one zero-padded frame', () => {
    const short = sine({
      sampleRateHz: 48_000,
      durationSeconds: 1000 / 48_000,
      frequencyHz: 1000,
      peakDbfs: 0,
    });
    const spectrum = measureThirdOctaveSpectrum(short);
    expect(spectrum.analyzedFrameCount).toBe(1);
    expectWithin(spectrum.bands[17]!.levelDb, SINE_BAND_LEVEL_DB, SHORT_FRAME_TOLERANCE_DB, '1 kHz band');
  });

  it('edge: silence, empty audio and a fully gated signal read −Infinity in every band', () => {
    const cases = [
      measureThirdOctaveSpectrum(silence({ sampleRateHz: 44_100, durationSeconds: 1 })),
      measureThirdOctaveSpectrum({ sampleRateHz: 44_100, channels: [new Float32Array(0)] }),
      measureThirdOctaveSpectrum(whiteNoise({ sampleRateHz: 44_100, durationSeconds: 1, rmsDbfs: -80 }), {
        minFrameRmsDbfs: -70,
      }),
    ];
    for (const spectrum of cases) {
      for (const band of spectrum.bands) expect(band.levelDb).toBe(Number.NEGATIVE_INFINITY);
    }
    expect(cases[2]!.analyzedFrameCount).toBe(0);
  });

  it('rejects a NaN gate with DSP_INVALID_PARAMETER', () => {
    const audio = silence({ sampleRateHz: 44_100, durationSeconds: 0.1 });
    expect(() => measureThirdOctaveSpectrum(audio, { minFrameRmsDbfs: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
    );
  });
});
