import { concat, expectWithin, silence, sine, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import type { PlanarAudio } from './planar-audio.ts';
import { measureMidSidePowerSpectra, measureWelchPowerSpectrum } from './welch-power-spectrum.ts';

/**
 * A bin-centred sine under a periodic Hann window puts 4/6 of its power in its bin and 1/6 in
 * each neighbour (the window's transform is ½ of its peak one bin off); the samples are
 * float32, so the figures hold to about 10⁻⁷.
 */
const FLOAT32_SINE_TOLERANCE = 1e-6;
/** Float64 transforms of the same samples in another order or pairing: round-off only. */
const ROUNDING_RELATIVE_TOLERANCE = 1e-9;
/**
 * Mid and side built here in float32, `(L ± R)/2` rounded to 2⁻²⁴ relative, against the
 * spectrum's float64 linear combination of the channels' transforms: ≈ 10⁻⁷ of the total.
 */
const FLOAT32_MID_SIDE_TOLERANCE = 1e-6;
/**
 * 1000 samples at 48 kHz windowed with their own Hann: 20.8 cycles of 1 kHz estimate the mean
 * square to about 0.1 % (the squared window's transform at 2 kHz).
 */
const SHORT_SEGMENT_RELATIVE_TOLERANCE = 0.01;

const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0);

/** `Σ_n (x_n·w_n)² / Σ_n w_n²` of one segment, periodic Hann of `lengthSamples`: the reference. */
function windowedMeanSquare(signal: Float32Array, startSample: number, lengthSamples: number): number {
  let weighted = 0;
  let weights = 0;
  for (let n = 0; n < lengthSamples; n++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / lengthSamples);
    weighted += (signal[startSample + n]! * w) ** 2;
    weights += w * w;
  }
  return weighted / weights;
}

function expectSpectraWithin(actual: Float64Array, expected: Float64Array, relativeTolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(...expected);
  expected.forEach((power, k) => {
    expectWithin(actual[k]!, power, relativeTolerance * scale, `bin ${k}`);
  });
}

describe('measureWelchPowerSpectrum', () => {
  it('spec: a 0 dBFS sine at bin 1000 reads 1/3 in its bin and 1/12 in each neighbour (sum ½)', () => {
    const segmentSamples = 4096;
    const sampleRateHz = 48_000;
    const audio = sine({
      sampleRateHz,
      durationSeconds: (4 * segmentSamples) / sampleRateHz,
      frequencyHz: (1000 * sampleRateHz) / segmentSamples,
      peakDbfs: 0,
    });
    const spectrum = measureWelchPowerSpectrum(audio, { segmentSamples });
    expect(spectrum.fftSizeSamples).toBe(segmentSamples);
    expect(spectrum.powers).toHaveLength(segmentSamples / 2 + 1);
    expectWithin(spectrum.binWidthHz, sampleRateHz / segmentSamples, 0, 'bin width');
    expectWithin(spectrum.powers[1000]!, 1 / 3, FLOAT32_SINE_TOLERANCE, 'bin 1000');
    expectWithin(spectrum.powers[999]!, 1 / 12, FLOAT32_SINE_TOLERANCE, 'bin 999');
    expectWithin(spectrum.powers[1001]!, 1 / 12, FLOAT32_SINE_TOLERANCE, 'bin 1001');
    expectWithin(sum(spectrum.powers), 0.5, FLOAT32_SINE_TOLERANCE, 'sum');
  });

  it('property: the bins sum to the window-weighted mean square, averaged over segments and channels', () => {
    const segmentSamples = 2048;
    const audio = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 0.25, rmsDbfs: -12 });
    const lengthSamples = audio.channels[0]!.length;
    for (const overlapRatio of [0, 0.5, 0.75]) {
      const hopSamples = Math.round(segmentSamples * (1 - overlapRatio));
      const spectrum = measureWelchPowerSpectrum(audio, { segmentSamples, overlapRatio });
      let expected = 0;
      let frames = 0;
      for (let start = 0; start + segmentSamples <= lengthSamples; start += hopSamples) {
        for (const channel of audio.channels) {
          expected += windowedMeanSquare(channel, start, segmentSamples);
          frames++;
        }
      }
      expect(spectrum.segmentCount).toBe(frames / 2);
      expectWithin(sum(spectrum.powers), expected / frames, ROUNDING_RELATIVE_TOLERANCE, `${overlapRatio}`);
    }
  });

  it('segments every N·(1 − overlap) from sample 0 and drops the last partial segment', () => {
    const segmentSamples = 1024;
    const rate = { sampleRateHz: 48_000 };
    // 9.77 segments of silence, then a burst inside the partial tail only.
    const quiet = silence({ ...rate, durationSeconds: 9700 / 48_000 });
    const burst = sine({ ...rate, durationSeconds: 300 / 48_000, frequencyHz: 1000, peakDbfs: 0 });
    const audio = concat(quiet, burst);
    const counts = [0, 0.5, 0.75].map(
      (overlapRatio) => measureWelchPowerSpectrum(audio, { segmentSamples, overlapRatio }).segmentCount,
    );
    // floor((10000 − 1024) / hop) + 1 for hops of 1024, 512 and 256.
    expect(counts).toEqual([9, 18, 36]);
    const noOverlap = measureWelchPowerSpectrum(audio, { segmentSamples, overlapRatio: 0 });
    expect(sum(noOverlap.powers)).toBe(0);
  });

  it('edge: audio shorter than one segment is one segment windowed at its own length, zero-padded', () => {
    const audio = sine({
      sampleRateHz: 48_000,
      durationSeconds: 1000 / 48_000,
      frequencyHz: 1000,
      peakDbfs: 0,
    });
    const spectrum = measureWelchPowerSpectrum(audio);
    expect(spectrum.segmentCount).toBe(1);
    expect(spectrum.fftSizeSamples).toBe(32_768);
    expectWithin(sum(spectrum.powers), 0.5, 0.5 * SHORT_SEGMENT_RELATIVE_TOLERANCE, 'sum');
  });

  it('edge: empty audio analyses no segment and reads zero everywhere', () => {
    const spectrum = measureWelchPowerSpectrum({ sampleRateHz: 44_100, channels: [new Float32Array(0)] });
    expect(spectrum.segmentCount).toBe(0);
    expect(spectrum.skippedSegmentCount).toBe(0);
    expect(sum(spectrum.powers)).toBe(0);
  });

  it("property: 'average' averages the channels' power spectra, it is not a downmix", () => {
    const noise = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 0.5, rmsDbfs: -20, channelCount: 1 });
    const x = noise.channels[0]!;
    const mono = measureWelchPowerSpectrum(noise, { segmentSamples: 4096 });
    const antiPhase = measureWelchPowerSpectrum(
      { ...noise, channels: [x, x.map((v) => -v)] },
      { segmentSamples: 4096 },
    );
    // Three channels: the third frame of each segment pairs with the next segment's first,
    // the very last with silence.
    const threeChannels = measureWelchPowerSpectrum(
      { ...noise, channels: [x, x, x] },
      { segmentSamples: 4096 },
    );
    expectSpectraWithin(antiPhase.powers, mono.powers, ROUNDING_RELATIVE_TOLERANCE);
    expectSpectraWithin(threeChannels.powers, mono.powers, ROUNDING_RELATIVE_TOLERANCE);
  });

  it("spec: 'mid' and 'side' are the spectra of (L + R)/2 and (L − R)/2", () => {
    const stereo = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 0.5, rmsDbfs: -20 });
    const [left, right] = stereo.channels as [Float32Array, Float32Array];
    const monoOf = (samples: Float32Array): PlanarAudio => ({ sampleRateHz: 44_100, channels: [samples] });
    const options = { segmentSamples: 4096, overlapRatio: 0.25 };
    const mid = measureWelchPowerSpectrum(monoOf(left.map((l, n) => (l + right[n]!) / 2)), options);
    const side = measureWelchPowerSpectrum(monoOf(left.map((l, n) => (l - right[n]!) / 2)), options);
    const pair = measureMidSidePowerSpectra(stereo, options);
    expectSpectraWithin(pair.mid.powers, mid.powers, FLOAT32_MID_SIDE_TOLERANCE);
    expectSpectraWithin(pair.side.powers, side.powers, FLOAT32_MID_SIDE_TOLERANCE);
    const single = measureWelchPowerSpectrum(stereo, { ...options, channels: 'side' });
    expectSpectraWithin(single.powers, pair.side.powers, 0);
    expect(pair.mid.segmentCount).toBe(mid.segmentCount);
  });

  it('edge: mono is its own mid and has no side', () => {
    const mono = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 0.3, rmsDbfs: -20, channelCount: 1 });
    const options = { segmentSamples: 2048 };
    const { mid, side } = measureMidSidePowerSpectra(mono, options);
    expectSpectraWithin(mid.powers, measureWelchPowerSpectrum(mono, options).powers, 0);
    expect(sum(side.powers)).toBe(0);
    expect(side.segmentCount).toBe(mid.segmentCount);
  });

  it('activity gate: drops segments under −70 dBFS and those 20 dB under the mean of the rest', () => {
    const segmentSamples = 4096;
    const rate = { sampleRateHz: 48_000 };
    const section = (rmsDbfs: number) =>
      whiteNoise({ ...rate, durationSeconds: (10 * segmentSamples) / 48_000, rmsDbfs });
    // Power mean of the three sections over −70 dBFS: −14.6 dB; relative gate −34.6 dB.
    const audio = concat(section(-10), section(-25), section(-40), silence({ ...rate, durationSeconds: 1 }));
    const options = { segmentSamples, overlapRatio: 0 };
    const gated = measureWelchPowerSpectrum(audio, { ...options, activityGate: true });
    const ungated = measureWelchPowerSpectrum(audio, options);
    expect(gated.segmentCount).toBe(20);
    expect(gated.skippedSegmentCount).toBe(ungated.segmentCount - 20);
    expect(ungated.skippedSegmentCount).toBe(0);
    const { mid, side } = measureMidSidePowerSpectra(audio, { ...options, activityGate: true });
    expect([mid.segmentCount, side.segmentCount, side.skippedSegmentCount]).toEqual([
      20,
      20,
      gated.skippedSegmentCount,
    ]);
  });

  it('edge: a fully gated signal analyses no segment', () => {
    const audio = whiteNoise({ sampleRateHz: 44_100, durationSeconds: 1, rmsDbfs: -80 });
    const spectrum = measureWelchPowerSpectrum(audio, { segmentSamples: 4096, activityGate: true });
    expect(spectrum.segmentCount).toBe(0);
    expect(spectrum.skippedSegmentCount).toBeGreaterThan(0);
    expect(sum(spectrum.powers)).toBe(0);
  });

  it('rejects invalid options and mid/side of more than two channels with DSP_INVALID_PARAMETER', () => {
    const audio = silence({ sampleRateHz: 44_100, durationSeconds: 0.1 });
    const surround = silence({ sampleRateHz: 44_100, durationSeconds: 0.1, channelCount: 3 });
    const invalid = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });
    for (const segmentSamples of [1000, 8, 2 ** 21, 4096.5]) {
      expect(() => measureWelchPowerSpectrum(audio, { segmentSamples })).toThrow(invalid);
    }
    for (const overlapRatio of [1, -0.1, Number.NaN]) {
      expect(() => measureWelchPowerSpectrum(audio, { overlapRatio })).toThrow(invalid);
    }
    const channels = 'left' as unknown as 'mid';
    expect(() => measureWelchPowerSpectrum(audio, { channels })).toThrow(invalid);
    expect(() => measureWelchPowerSpectrum(surround, { channels: 'mid' })).toThrow(invalid);
    expect(() => measureMidSidePowerSpectra(surround)).toThrow(invalid);
    expect(() => measureWelchPowerSpectrum({ sampleRateHz: 0, channels: [new Float32Array(1)] })).toThrow(
      invalid,
    );
  });
});
