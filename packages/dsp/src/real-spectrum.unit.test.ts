import { expectWithin, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { RealSpectrum, scaledFftSize } from './real-spectrum.ts';

/** Float64 FFT round-off over ~10⁴ bins, relative: far below any measurement tolerance. */
const PARSEVAL_RELATIVE_TOLERANCE = 1e-9;
/** The reference average is rounded to float32 (2⁻²⁴ relative), summed over 512 samples. */
const MIX_BIN_TOLERANCE = 1e-5;

describe('scaledFftSize', () => {
  it('keeps the base size at 44.1 and 48 kHz and scales by whole octaves elsewhere', () => {
    expect(scaledFftSize(8192, 44_100)).toBe(8192);
    expect(scaledFftSize(8192, 48_000)).toBe(8192);
    expect(scaledFftSize(8192, 96_000)).toBe(16_384);
    expect(scaledFftSize(8192, 192_000)).toBe(32_768);
    expect(scaledFftSize(8192, 22_050)).toBe(4096);
    expect(scaledFftSize(128, 8000)).toBe(64);
  });
});

describe('RealSpectrum', () => {
  it('property: one-sided Parseval, Σ c_k·|X_k|² = N·Σ (x·w)² (with zero padding too)', () => {
    const noise = whiteNoise({ sampleRateHz: 48_000, durationSeconds: 0.1, rmsDbfs: -10, channelCount: 1 });
    const signal = noise.channels[0]!;
    for (const [fftSize, windowLength] of [
      [1024, 1024],
      [4096, 3000],
    ] as const) {
      const spectrum = new RealSpectrum(fftSize, windowLength);
      spectrum.loadChannel(signal, 17);
      spectrum.transform();
      let timeEnergy = 0;
      for (let n = 0; n < windowLength; n++) timeEnergy += (signal[17 + n]! * spectrum.window[n]!) ** 2;
      let binEnergy = 0;
      for (let k = 0; k <= fftSize / 2; k++) {
        const weight = k === 0 || k === fftSize / 2 ? 1 : 2;
        binEnergy += weight * (spectrum.bins[2 * k]! ** 2 + spectrum.bins[2 * k + 1]! ** 2);
      }
      expectWithin(
        binEnergy / (fftSize * timeEnergy),
        1,
        PARSEVAL_RELATIVE_TOLERANCE,
        `Parseval ratio at N=${fftSize}`,
      );
    }
  });

  it('property: loadMix is the transform of the channel average', () => {
    const left = whiteNoise({
      sampleRateHz: 48_000,
      durationSeconds: 0.05,
      rmsDbfs: -10,
      channelCount: 1,
      seed: 1,
    });
    const right = whiteNoise({
      sampleRateHz: 48_000,
      durationSeconds: 0.05,
      rmsDbfs: -10,
      channelCount: 1,
      seed: 2,
    });
    const average = left.channels[0]!.map((x, i) => (x + right.channels[0]![i]!) / 2);
    const mixed = new RealSpectrum(512);
    mixed.loadMix([left.channels[0]!, right.channels[0]!], 0);
    mixed.transform();
    const direct = new RealSpectrum(512);
    direct.loadChannel(average, 0);
    direct.transform();
    for (const k of [0, 1, 50, 256]) {
      expectWithin(mixed.bins[2 * k]!, direct.bins[2 * k]!, MIX_BIN_TOLERANCE, `Re X[${k}]`);
      expectWithin(mixed.bins[2 * k + 1]!, direct.bins[2 * k + 1]!, MIX_BIN_TOLERANCE, `Im X[${k}]`);
    }
  });
});
