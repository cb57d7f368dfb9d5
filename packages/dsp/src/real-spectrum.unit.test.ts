import { expectWithin, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { RealSpectrum, scaledFftSize, spreadFrameStarts } from './real-spectrum.ts';

/** Float64 FFT round-off over ~10⁴ bins, relative: far below any measurement tolerance. */
const PARSEVAL_RELATIVE_TOLERANCE = 1e-9;
/** The reference average is rounded to float32 (2⁻²⁴ relative), summed over 512 samples. */
const MIX_BIN_TOLERANCE = 1e-5;
/**
 * A complex FFT plus separation against a real FFT of the same float64 frame: round-off only
 * (bins of −10 dBFS noise are about 10 in magnitude at N = 4096, errors about 10⁻¹³).
 */
const PAIR_BIN_TOLERANCE = 1e-9;

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

describe('spreadFrameStarts', () => {
  it('regular frames every hop plus one aligned to the end, while at most maxFrameCount', () => {
    expect([...spreadFrameStarts(10_000, 4096, 2048, 100)]).toEqual([0, 2048, 4096, 5904]);
    expect([...spreadFrameStarts(8192, 4096, 4096, 100)]).toEqual([0, 4096]);
    expect([...spreadFrameStarts(4096, 4096, 2048, 100)]).toEqual([0]);
  });

  it('edge: no frame for a window of 0 or longer than the signal', () => {
    expect(spreadFrameStarts(1000, 0, 1, 10)).toHaveLength(0);
    expect(spreadFrameStarts(1000, 1001, 500, 10)).toHaveLength(0);
  });

  it('property: beyond maxFrameCount, one frame per stratum, not periodic', () => {
    const lengthSamples = 1_000_000;
    const windowLengthSamples = 8192;
    const maxFrameCount = 50;
    const starts = spreadFrameStarts(
      lengthSamples,
      windowLengthSamples,
      windowLengthSamples / 2,
      maxFrameCount,
    );
    expect(starts).toHaveLength(maxFrameCount);
    const strideSamples = (lengthSamples - windowLengthSamples) / maxFrameCount;
    const gaps = new Set<number>();
    starts.forEach((start, i) => {
      expect(Math.floor(start / strideSamples), `frame ${i} in stratum ${i}`).toBe(i);
      expect(start + windowLengthSamples).toBeLessThanOrEqual(lengthSamples);
      if (i > 0) gaps.add(Math.round((start - starts[i - 1]!) / 1000));
    });
    // Two spacings, 0.618 and 1.618 strides (golden-ratio steps), never one period.
    expect(gaps.size).toBeGreaterThan(1);
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

  it('property: transformPair gives the transforms of both frames (with zero padding too)', () => {
    const noise = whiteNoise({ sampleRateHz: 48_000, durationSeconds: 0.2, rmsDbfs: -10, channelCount: 2 });
    const [left, right] = noise.channels as [Float32Array, Float32Array];
    for (const [fftSize, windowLength] of [
      [4096, 4096],
      [4096, 3000],
      [256, 256],
    ] as const) {
      const pair = new RealSpectrum(fftSize, windowLength);
      pair.loadPair(left, 5, right, 700);
      pair.transformPair();
      const single = new RealSpectrum(fftSize, windowLength);
      for (const [signal, start, bins] of [
        [left, 5, pair.bins],
        [right, 700, pair.secondBins],
      ] as const) {
        single.loadChannel(signal, start);
        single.transform();
        expectWithin(maxDifference(bins, single.bins, fftSize + 2), 0, PAIR_BIN_TOLERANCE, `N=${fftSize}`);
      }
    }
  });

  it('property: loadMixPair is the pair of channel averages; addPairPower adds both power spectra', () => {
    const noise = whiteNoise({ sampleRateHz: 48_000, durationSeconds: 0.1, rmsDbfs: -10, channelCount: 3 });
    const channels = noise.channels;
    const fftSize = 1024;
    const pair = new RealSpectrum(fftSize);
    pair.loadMixPair(channels, 0, 300);
    pair.transformPair();
    const mix = new RealSpectrum(fftSize);
    const expectedPower = new Float64Array(fftSize / 2 + 1);
    for (const [start, bins] of [
      [0, pair.bins],
      [300, pair.secondBins],
    ] as const) {
      mix.loadMix(channels, start);
      mix.transform();
      expectWithin(maxDifference(bins, mix.bins, fftSize + 2), 0, PAIR_BIN_TOLERANCE, `mix at ${start}`);
      for (let k = 0; k <= fftSize / 2; k++) {
        expectedPower[k] = expectedPower[k]! + mix.bins[2 * k]! ** 2 + mix.bins[2 * k + 1]! ** 2;
      }
    }
    const power = new Float64Array(fftSize / 2 + 1);
    pair.loadMixPair(channels, 0, 300);
    pair.addPairPower(power);
    let worstRatio = 1;
    power.forEach((p, k) => {
      const ratio = p / expectedPower[k]!;
      if (Math.abs(ratio - 1) > Math.abs(worstRatio - 1)) worstRatio = ratio;
    });
    expectWithin(worstRatio, 1, PARSEVAL_RELATIVE_TOLERANCE, '(|A|² + |B|²) / expected, worst bin');
  });
});

/** Largest absolute difference over the first `count` values. */
function maxDifference(a: Float64Array, b: Float64Array, count: number): number {
  let worst = 0;
  for (let i = 0; i < count; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
