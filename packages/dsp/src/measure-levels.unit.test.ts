import { concat, expectWithin, silence, sine, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { measureLevels } from './measure-levels.ts';

/** RMS of a sine over whole cycles is exact; float32 samples add ~10⁻⁷ relative (~10⁻⁶ dB). */
const SINE_RMS_TOLERANCE_DB = 1e-4;
/** 997 Hz at 48 kHz over 1 s visits 48 000 distinct phases: the peak sample is within 1e-8 dB of 1. */
const SINE_PEAK_TOLERANCE_DB = 1e-4;
/** Gain and mean are float64 sums of float32 samples: relative error ~10⁻⁷. */
const FLOAT32_RELATIVE_TOLERANCE = 1e-6;
/** Float32 rounding of scaled samples (≤ 6e-8 relative) is ~5e-7 dB. */
const SCALED_SAMPLES_TOLERANCE_DB = 1e-5;
/** 20·log10 near 0.01 turns 1e-7 of linear error into ~1e-4 dB. */
const DC_TOLERANCE_DB = 1e-4;
/** −10·log10(2): mean square of a full-scale sine is 1/2. */
const SINE_RMS_DBFS = -10 * Math.log10(2);

const rate = { sampleRateHz: 48_000 };

describe('measureLevels', () => {
  it('spec: a 0 dBFS sine reads 0 dBFS peak, −3.01 dBFS RMS and 3.01 dB crest factor', () => {
    const levels = measureLevels(sine({ ...rate, durationSeconds: 1, frequencyHz: 997, peakDbfs: 0 }));
    expectWithin(levels.samplePeakDbfs, 0, SINE_PEAK_TOLERANCE_DB, 'peak');
    expectWithin(levels.rmsDbfs, SINE_RMS_DBFS, SINE_RMS_TOLERANCE_DB, 'RMS');
    expectWithin(
      levels.crestFactorDb!,
      -SINE_RMS_DBFS,
      SINE_RMS_TOLERANCE_DB + SINE_PEAK_TOLERANCE_DB,
      'crest',
    );
    for (const channel of levels.channels) {
      expectWithin(channel.rmsDbfs, SINE_RMS_DBFS, SINE_RMS_TOLERANCE_DB, 'channel RMS');
      expectWithin(channel.dcOffsetLinear, 0, FLOAT32_RELATIVE_TOLERANCE, 'DC of a whole-cycle sine');
    }
  });

  it('spec: a square wave of amplitude a has peak = RMS = 20·log10(a) and a 0 dB crest factor', () => {
    const square = new Float32Array(4800).map((_, i) => (Math.floor(i / 24) % 2 === 0 ? 0.5 : -0.5));
    const levels = measureLevels({ ...rate, channels: [square] });
    expectWithin(levels.samplePeakDbfs, 20 * Math.log10(0.5), FLOAT32_RELATIVE_TOLERANCE, 'peak');
    expectWithin(levels.rmsDbfs, 20 * Math.log10(0.5), FLOAT32_RELATIVE_TOLERANCE, 'RMS');
    expectWithin(levels.crestFactorDb!, 0, FLOAT32_RELATIVE_TOLERANCE, 'crest');
  });

  it('property: +g dB of gain moves peak and RMS by g dB and leaves the crest factor alone', () => {
    const noise = whiteNoise({ ...rate, durationSeconds: 1, rmsDbfs: -20 });
    const gainDb = -12;
    const gainLinear = 10 ** (gainDb / 20);
    const quieter = { ...rate, channels: noise.channels.map((c) => c.map((x) => x * gainLinear)) };
    const before = measureLevels(noise);
    const after = measureLevels(quieter);
    expectWithin(
      after.samplePeakDbfs - before.samplePeakDbfs,
      gainDb,
      SCALED_SAMPLES_TOLERANCE_DB,
      'peak change',
    );
    expectWithin(after.rmsDbfs - before.rmsDbfs, gainDb, SCALED_SAMPLES_TOLERANCE_DB, 'RMS change');
    expectWithin(after.crestFactorDb!, before.crestFactorDb!, SCALED_SAMPLES_TOLERANCE_DB, 'crest factor');
  });

  it('spec: a DC offset of 0.01 reads 0.01 linear and −40 dBFS', () => {
    const tone = sine({ ...rate, durationSeconds: 1, frequencyHz: 1000, peakDbfs: -6, channelCount: 1 });
    const shifted = { ...rate, channels: [tone.channels[0]!.map((x) => x + 0.01)] };
    const [channel] = measureLevels(shifted).channels;
    expectWithin(channel!.dcOffsetLinear, 0.01, FLOAT32_RELATIVE_TOLERANCE, 'DC linear');
    expectWithin(channel!.dcOffsetDbfs, -40, DC_TOLERANCE_DB, 'DC dBFS');
    expect(
      Math.sign(
        measureLevels({ ...rate, channels: [new Float32Array(10).fill(-0.2)] }).channels[0]!.dcOffsetLinear,
      ),
    ).toBe(-1);
  });

  it('reports channels separately and combines them as power', () => {
    const left = sine({ ...rate, durationSeconds: 1, frequencyHz: 1000, peakDbfs: -6, channelCount: 1 })
      .channels[0]!;
    const levels = measureLevels({ ...rate, channels: [left, new Float32Array(left.length)] });
    expectWithin(levels.channels[0]!.rmsDbfs, -6 + SINE_RMS_DBFS, SINE_RMS_TOLERANCE_DB, 'left RMS');
    expect(levels.channels[1]!.rmsDbfs).toBe(Number.NEGATIVE_INFINITY);
    expect(levels.channels[1]!.crestFactorDb).toBeNull();
    expectWithin(levels.samplePeakDbfs, -6, SINE_PEAK_TOLERANCE_DB, 'overall peak = loudest channel');
    // Mean square over both channels: half the left channel's.
    expectWithin(levels.rmsDbfs, -6 + 2 * SINE_RMS_DBFS, SINE_RMS_TOLERANCE_DB, 'overall RMS');
  });

  it('edge: silence and empty audio read −Infinity with a null crest factor', () => {
    for (const audio of [
      silence({ ...rate, durationSeconds: 0.1 }),
      { ...rate, channels: [new Float32Array(0)] },
    ]) {
      const levels = measureLevels(audio);
      expect(levels.samplePeakDbfs).toBe(Number.NEGATIVE_INFINITY);
      expect(levels.rmsDbfs).toBe(Number.NEGATIVE_INFINITY);
      expect(levels.crestFactorDb).toBeNull();
      expect(levels.channels[0]!.dcOffsetLinear).toBe(0);
      expect(levels.channels[0]!.dcOffsetDbfs).toBe(Number.NEGATIVE_INFINITY);
    }
  });

  it('property: a silent passage lowers RMS but not the peak', () => {
    const tone = sine({ ...rate, durationSeconds: 1, frequencyHz: 1000, peakDbfs: -1 });
    const levels = measureLevels(concat(tone, silence({ ...rate, durationSeconds: 1 })));
    expectWithin(levels.samplePeakDbfs, -1, SINE_PEAK_TOLERANCE_DB, 'peak');
    expectWithin(
      levels.rmsDbfs,
      -1 + SINE_RMS_DBFS - 10 * Math.log10(2),
      SINE_RMS_TOLERANCE_DB,
      'RMS halves in power',
    );
  });

  it('rejects invalid audio with DSP_INVALID_PARAMETER', () => {
    expect(() => measureLevels({ ...rate, channels: [] })).toThrow(
      expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
    );
  });
});
