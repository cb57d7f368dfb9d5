import { concat, expectWithin, silence, sine, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { detectSilence } from './detect-silence.ts';

const rate = { sampleRateHz: 48_000 };
/**
 * Boundaries sit on the 10 ms grid and a region next to sound loses up to half of the 50 ms
 * window (25 ms) at that side: one step plus half a window.
 */
const EDGE_TOLERANCE_SECONDS = 0.035;
/** Durations fall on the 10 ms grid exactly where the audio starts or ends: float64 round-off. */
const GRID_ROUNDING_TOLERANCE_SECONDS = 1e-9;

const tone = (durationSeconds: number, peakDbfs = -20) =>
  sine({ ...rate, durationSeconds, frequencyHz: 440, peakDbfs });
const quiet = (durationSeconds: number) => silence({ ...rate, durationSeconds });

describe('detectSilence', () => {
  it('spec: finds a gap between two tones and the trailing silence, with their durations', () => {
    const report = detectSilence(concat(tone(2), quiet(1.5), tone(2), quiet(1)));
    expect(report.regions).toHaveLength(2);
    const [gap, tail] = report.regions;
    expectWithin(gap!.startSeconds, 2, EDGE_TOLERANCE_SECONDS, 'gap start');
    expectWithin(gap!.endSeconds, 3.5, EDGE_TOLERANCE_SECONDS, 'gap end');
    expectWithin(tail!.startSeconds, 5.5, EDGE_TOLERANCE_SECONDS, 'tail start');
    expectWithin(tail!.endSeconds, 6.5, GRID_ROUNDING_TOLERANCE_SECONDS, 'tail ends at the end');
    expect(report.leadingSilenceSeconds).toBe(0);
    expectWithin(report.trailingSilenceSeconds, 1, EDGE_TOLERANCE_SECONDS, 'trailing');
    expectWithin(report.totalSilentSeconds, 2.5, 3 * EDGE_TOLERANCE_SECONDS, 'total');
  });

  it('spec: measures leading silence', () => {
    const report = detectSilence(concat(quiet(0.8), tone(2)));
    expectWithin(report.leadingSilenceSeconds, 0.8, EDGE_TOLERANCE_SECONDS, 'leading');
    expect(report.regions[0]!.startSeconds).toBe(0);
    expect(report.trailingSilenceSeconds).toBe(0);
  });

  it('options: minDurationSeconds drops short gaps', () => {
    const audio = concat(tone(1), quiet(0.3), tone(1));
    expect(detectSilence(audio).regions).toHaveLength(0);
    expect(detectSilence(audio, { minDurationSeconds: 0.2 }).regions).toHaveLength(1);
  });

  it('options: thresholdDbfs decides what is quiet enough (RMS of a −67 dBFS-peak sine is −70 dBFS)', () => {
    const audio = tone(1, -67);
    expect(detectSilence(audio).totalSilentSeconds).toBeGreaterThan(0.99);
    expect(detectSilence(audio, { thresholdDbfs: -80 }).regions).toHaveLength(0);
    const floor = whiteNoise({ ...rate, durationSeconds: 1, rmsDbfs: -65 });
    expectWithin(detectSilence(floor).totalSilentSeconds, 1, GRID_ROUNDING_TOLERANCE_SECONDS, 'noise floor');
  });

  it('property: the loudest channel decides (a hard-panned part is not silence)', () => {
    const left = tone(2).channels[0]!;
    const report = detectSilence({ ...rate, channels: [left, new Float32Array(left.length)] });
    expect(report.regions).toHaveLength(0);
  });

  it('edge: digital silence is one region covering everything; empty audio has none', () => {
    const all = detectSilence(quiet(1.234));
    expect(all.regions).toHaveLength(1);
    for (const value of [all.leadingSilenceSeconds, all.trailingSilenceSeconds, all.totalSilentSeconds]) {
      expectWithin(value, 1.234, GRID_ROUNDING_TOLERANCE_SECONDS, 'whole duration');
    }
    expect(detectSilence({ ...rate, channels: [new Float32Array(0)] })).toEqual({
      regions: [],
      leadingSilenceSeconds: 0,
      trailingSilenceSeconds: 0,
      totalSilentSeconds: 0,
    });
  });

  it.each([{ thresholdDbfs: Number.NaN }, { minDurationSeconds: -1 }, { windowSeconds: 0 }])(
    'rejects %o with DSP_INVALID_PARAMETER',
    (options) => {
      expect(() => detectSilence(quiet(0.1), options)).toThrow(
        expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
      );
    },
  );
});
