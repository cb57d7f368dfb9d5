import { describe, expect, it } from 'vitest';
import { createClippingDetector } from './clipping-detector.ts';
import { detectClipping } from './detect-clipping.ts';
import { detectSilence } from './detect-silence.ts';
import { createTempoEstimator, estimateTempo } from './estimate-tempo.ts';
import { createLevelsMeter } from './levels-meter.ts';
import { measureLevels } from './measure-levels.ts';
import { measureStereo } from './measure-stereo.ts';
import { createSilenceDetector } from './silence-detector.ts';
import { createStereoMeter } from './stereo-meter.ts';
import { pushInRandomBlocks, steppedNoise } from './test-support/random-blocks.ts';

// Property: each streaming form, fed in blocks of random lengths, gives exactly (bit for bit)
// what its whole-programme function gives: both run the same float64 sums in the same order.
// Exact equality is the point (the long-programme analysis must report the same figures).

const RATE_HZ = 44100;
const INVALID = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });

describe.each([1, 2, 3])('streaming analysis features, %i channel(s)', (channelCount) => {
  const audio = steppedNoise(RATE_HZ, 12, channelCount);
  const shape = { sampleRateHz: RATE_HZ, channelCount };

  it('property: createLevelsMeter in random blocks equals measureLevels', () => {
    const meter = createLevelsMeter(channelCount);
    pushInRandomBlocks(audio, (block) => meter.push(block), 1);
    expect(meter.result()).toEqual(measureLevels(audio));
  });

  it('property: createStereoMeter in random blocks equals measureStereo', () => {
    const meter = createStereoMeter(channelCount);
    pushInRandomBlocks(audio, (block) => meter.push(block), 2);
    expect(meter.result()).toEqual(measureStereo(audio));
  });

  it('property: createClippingDetector in random blocks equals detectClipping, and reading mid-stream changes nothing', () => {
    const expected = detectClipping(audio);
    expect(expected.runCount).toBeGreaterThan(0);
    const detector = createClippingDetector(shape);
    let pushes = 0;
    pushInRandomBlocks(
      audio,
      (block) => {
        detector.push(block);
        if (++pushes % 7 === 0) detector.result();
      },
      3,
    );
    expect(detector.result()).toEqual(expected);
    // A run still open at the end of the pushed audio counts as ending there.
    const cut = createClippingDetector({ ...shape, minRunSamples: 1 });
    cut.push(audio.channels.map((x) => x.subarray(0, Math.round(2.5 * RATE_HZ))));
    expect(cut.result()).toEqual(
      detectClipping(
        {
          sampleRateHz: RATE_HZ,
          channels: audio.channels.map((x) => x.subarray(0, Math.round(2.5 * RATE_HZ))),
        },
        { minRunSamples: 1 },
      ),
    );
  });

  it('property: createSilenceDetector in random blocks equals detectSilence', () => {
    const expected = detectSilence(audio);
    expect(expected.regions.length).toBeGreaterThan(0);
    const detector = createSilenceDetector(shape);
    pushInRandomBlocks(audio, (block) => detector.push(block), 4);
    expect(detector.result()).toEqual(expected);
  });

  it('property: createTempoEstimator in random blocks equals estimateTempo', () => {
    const estimator = createTempoEstimator(shape);
    pushInRandomBlocks(audio, (block) => estimator.push(block), 5, 40_000);
    expect(estimator.result()).toEqual(estimateTempo(audio));
  });
});

describe('streaming analysis features: options', () => {
  it('rejects options out of range as the whole-programme functions do', () => {
    const shape = { sampleRateHz: RATE_HZ, channelCount: 2 };
    expect(() => createClippingDetector({ ...shape, minRunSamples: 0 })).toThrow(INVALID);
    expect(() => createSilenceDetector({ ...shape, windowSeconds: 0 })).toThrow(INVALID);
    expect(() => createSilenceDetector({ ...shape, channelCount: 0 })).toThrow(INVALID);
  });
});
