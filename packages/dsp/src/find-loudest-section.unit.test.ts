import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { findLoudestSection, type ShortTermLoudnessPoint } from './find-loudest-section.ts';

/** Times are multiples of the 10 ms hop computed in float64: round-off only. */
const TIME_ROUNDING_TOLERANCE_SECONDS = 1e-9;
/** Power means of a few thousand float64 terms: round-off only. */
const POWER_MEAN_TOLERANCE_LU = 1e-9;
const HOP_SECONDS = 0.01;

/**
 * A short-term series (3 s windows, one value every 10 ms from 3 s to `totalSeconds`) where
 * `loudnessAt(windowStartSeconds, windowEndSeconds)` gives each value.
 */
function series(totalSeconds: number, loudnessAt: (startSeconds: number, endSeconds: number) => number) {
  const points: ShortTermLoudnessPoint[] = [];
  const count = Math.round((totalSeconds - 3) / HOP_SECONDS);
  for (let i = 0; i <= count; i++) {
    const tEndSeconds = 3 + i * HOP_SECONDS;
    points.push([tEndSeconds, loudnessAt(tEndSeconds - 3, tEndSeconds)]);
  }
  return points;
}

/** −10 LUFS for windows inside `[fromSeconds, toSeconds]`, −30 LUFS elsewhere. */
const loudBetween = (fromSeconds: number, toSeconds: number) =>
  series(180, (start, end) => (start >= fromSeconds - 1e-9 && end <= toSeconds + 1e-9 ? -10 : -30));

describe('findLoudestSection', () => {
  it('spec: finds a loud 30 s passage exactly (the section starts where its first whole window starts)', () => {
    const section = findLoudestSection(loudBetween(60, 90), { totalDurationSeconds: 180 });
    expectWithin(section.startSeconds, 60, TIME_ROUNDING_TOLERANCE_SECONDS, 'start');
    expectWithin(section.endSeconds, 90, TIME_ROUNDING_TOLERANCE_SECONDS, 'end');
    expectWithin(section.loudnessLufs, -10, POWER_MEAN_TOLERANCE_LU, 'loudness');
  });

  it('spec: averages in the power domain (half −10, half −20 LUFS → −12.60 LUFS)', () => {
    const points = series(30, (start) => (start < 13.5 ? -10 : -20));
    const section = findLoudestSection(points, { totalDurationSeconds: 30 });
    const expected = 10 * Math.log10(points.reduce((sum, [, l]) => sum + 10 ** (l / 10), 0) / points.length);
    expectWithin(section.loudnessLufs, expected, POWER_MEAN_TOLERANCE_LU, 'power mean');
    expectWithin(
      expected,
      10 * Math.log10((0.1 + 0.01) / 2),
      0.05,
      'about −12.6 LUFS (not the −15 of a dB mean)',
    );
  });

  it('the section stays inside the audio at both ends', () => {
    const atStart = findLoudestSection(loudBetween(0, 20), { totalDurationSeconds: 180 });
    expectWithin(atStart.startSeconds, 0, TIME_ROUNDING_TOLERANCE_SECONDS, 'start clamped to 0');
    const atEnd = findLoudestSection(loudBetween(165, 180), { totalDurationSeconds: 180 });
    expectWithin(atEnd.startSeconds, 150, TIME_ROUNDING_TOLERANCE_SECONDS, 'latest start');
    expectWithin(atEnd.endSeconds, 180, TIME_ROUNDING_TOLERANCE_SECONDS, 'ends at the end');
  });

  it('options: durationSeconds sets the section length', () => {
    const section = findLoudestSection(loudBetween(100, 110), {
      durationSeconds: 10,
      totalDurationSeconds: 180,
    });
    expectWithin(section.startSeconds, 100, TIME_ROUNDING_TOLERANCE_SECONDS, 'start');
    expectWithin(section.endSeconds, 110, TIME_ROUNDING_TOLERANCE_SECONDS, 'end');
  });

  it('ties go to the earliest section; irregular hops are fine', () => {
    const flat: ShortTermLoudnessPoint[] = [3, 3.5, 7, 20, 33, 50, 80].map((t) => [t, -14] as const);
    const section = findLoudestSection(flat, { totalDurationSeconds: 80 });
    expect(section.startSeconds).toBe(0);
    expectWithin(section.loudnessLufs, -14, POWER_MEAN_TOLERANCE_LU, 'loudness');
  });

  it('edge: audio no longer than the section is returned whole', () => {
    const points = series(20, () => -18);
    const section = findLoudestSection(points, { totalDurationSeconds: 20 });
    expect([section.startSeconds, section.endSeconds]).toEqual([0, 20]);
    expectWithin(section.loudnessLufs, -18, POWER_MEAN_TOLERANCE_LU, 'loudness');
  });

  it('edge: silence reads −Infinity; an empty series gives the first section at −Infinity', () => {
    const silent = findLoudestSection(
      series(60, () => Number.NEGATIVE_INFINITY),
      { totalDurationSeconds: 60 },
    );
    expect(silent.loudnessLufs).toBe(Number.NEGATIVE_INFINITY);
    expect(findLoudestSection([], { totalDurationSeconds: 60 })).toEqual({
      startSeconds: 0,
      endSeconds: 30,
      loudnessLufs: Number.NEGATIVE_INFINITY,
    });
  });

  it.each([
    [
      [
        [1, -10],
        [0.5, -10],
      ] as ShortTermLoudnessPoint[],
      { totalDurationSeconds: 60 },
    ],
    [[[1, Number.NaN]] as ShortTermLoudnessPoint[], { totalDurationSeconds: 60 }],
    [[] as ShortTermLoudnessPoint[], { totalDurationSeconds: -1 }],
    [[] as ShortTermLoudnessPoint[], { totalDurationSeconds: 60, durationSeconds: 0 }],
  ])('rejects invalid input %# with DSP_INVALID_PARAMETER', (points, options) => {
    expect(() => findLoudestSection(points, options)).toThrow(
      expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
    );
  });
});
