import { expectWithin, silence, sine } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { detectClipping } from './detect-clipping.ts';

const rate = { sampleRateHz: 48_000 };
/** startSample / sampleRateHz in float64. */
const TIME_ROUNDING_TOLERANCE_SECONDS = 1e-12;

/** Two seconds of stereo silence with runs written at known places. */
function withRuns(
  runs: ReadonlyArray<{ channel: number; startSample: number; lengthSamples: number; value: number }>,
) {
  const audio = silence({ ...rate, durationSeconds: 2 });
  for (const run of runs)
    audio.channels[run.channel]!.fill(run.value, run.startSample, run.startSample + run.lengthSamples);
  return audio;
}

const KNOWN_RUNS = [
  { channel: 0, startSample: 24_000, lengthSamples: 5, value: 1 },
  { channel: 0, startSample: 48_000, lengthSamples: 2, value: 1 }, // shorter than 3 samples
  { channel: 1, startSample: 36_000, lengthSamples: 10, value: -1 },
  { channel: 0, startSample: 57_600, lengthSamples: 4, value: 0.9995 }, // over 0.999
  { channel: 1, startSample: 60_000, lengthSamples: 8, value: 0.998 }, // under 0.999
];

describe('detectClipping', () => {
  it('spec: finds runs of ≥ 3 samples at |x| ≥ 0.999 in either polarity, in time order', () => {
    const report = detectClipping(withRuns(KNOWN_RUNS));
    expect(report.runCount).toBe(3);
    expect(report.clippedSampleCount).toBe(5 + 10 + 4);
    expect(report.longestRunSamples).toBe(10);
    expect(report.runs.map((r) => [r.channel, r.startSample, r.lengthSamples])).toEqual([
      [0, 24_000, 5],
      [1, 36_000, 10],
      [0, 57_600, 4],
    ]);
    expectWithin(
      report.runs[1]!.startSeconds,
      0.75,
      TIME_ROUNDING_TOLERANCE_SECONDS,
      'start of the channel 1 run',
    );
  });

  it('options: minRunSamples and thresholdLinear widen or narrow what counts', () => {
    expect(detectClipping(withRuns(KNOWN_RUNS), { minRunSamples: 1 }).runCount).toBe(4);
    expect(detectClipping(withRuns(KNOWN_RUNS), { thresholdLinear: 0.99 }).runCount).toBe(4);
    expect(detectClipping(withRuns(KNOWN_RUNS), { minRunSamples: 6 }).runCount).toBe(1);
  });

  it('spec: a sine driven 6 dB into a hard clip is clipped two thirds of the time, twice per cycle', () => {
    const tone = sine({ ...rate, durationSeconds: 1, frequencyHz: 100, peakDbfs: 6, channelCount: 1 });
    const clipped = { ...rate, channels: [tone.channels[0]!.map((x) => Math.max(-1, Math.min(1, x)))] };
    const report = detectClipping(clipped);
    expect(report.runCount).toBe(200);
    // |2·sin θ| ≥ 1 for θ in 30°…150° of each half cycle (240 samples): runs of 160 samples,
    // each end within one sample of the analytic edge.
    expectWithin(report.clippedSampleCount / 48_000, 2 / 3, (2 * report.runCount) / 48_000, 'clipped share');
    expectWithin(report.longestRunSamples, 160, 2, 'run length in samples');
  });

  it('property: a limiter ceiling of −0.1 dBFS is not clipping at the default threshold', () => {
    const tone = sine({ ...rate, durationSeconds: 1, frequencyHz: 100, peakDbfs: 6, channelCount: 1 });
    const ceilingLinear = 10 ** (-0.1 / 20);
    const limited = {
      ...rate,
      channels: [tone.channels[0]!.map((x) => Math.max(-ceilingLinear, Math.min(ceilingLinear, x)))],
    };
    expect(detectClipping(limited).runCount).toBe(0);
    expect(detectClipping(limited, { thresholdLinear: ceilingLinear * 0.9999 }).runCount).toBe(200);
  });

  it('lists at most maxListedRuns runs, the earliest across channels, and still counts them all', () => {
    const runs = Array.from({ length: 20 }, (_, i) => ({
      channel: i % 2,
      startSample: 1000 * (i + 1),
      lengthSamples: 3,
      value: 1,
    }));
    const report = detectClipping(withRuns(runs), { maxListedRuns: 5 });
    expect(report.runCount).toBe(20);
    expect(report.runs.map((r) => r.startSample)).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(report.runs.map((r) => r.channel)).toEqual([0, 1, 0, 1, 0]);
  });

  it('a run at the very end of the audio counts', () => {
    const report = detectClipping(
      withRuns([{ channel: 0, startSample: 96_000 - 3, lengthSamples: 3, value: -1 }]),
    );
    expect(report.runs).toEqual([
      { channel: 0, startSample: 95_997, startSeconds: 95_997 / 48_000, lengthSamples: 3 },
    ]);
  });

  it('edge: silence and empty audio have no clipping', () => {
    for (const audio of [
      silence({ ...rate, durationSeconds: 0.1 }),
      { ...rate, channels: [new Float32Array(0)] },
    ]) {
      expect(detectClipping(audio)).toEqual({
        clippedSampleCount: 0,
        runCount: 0,
        longestRunSamples: 0,
        runs: [],
      });
    }
  });

  it.each([
    { thresholdLinear: 0 },
    { thresholdLinear: Number.NaN },
    { minRunSamples: 0 },
    { minRunSamples: 2.5 },
    { maxListedRuns: -1 },
  ])('rejects %o with DSP_INVALID_PARAMETER', (options) => {
    expect(() => detectClipping(silence({ ...rate, durationSeconds: 0.01 }), options)).toThrow(
      expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
    );
  });
});
