import { expectWithin, silence, sine, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { measureStereo } from './measure-stereo.ts';

/** Sines over whole cycles: closed-form answers up to float32 sample rounding (~1e-7). */
const CLOSED_FORM_TOLERANCE = 1e-5;
const CLOSED_FORM_TOLERANCE_DB = 1e-4;
/**
 * Independent noise, n = 48 000 samples: the sample correlation has a standard deviation of
 * 1/√n ≈ 0.0046; 5σ.
 */
const INDEPENDENT_CORRELATION_TOLERANCE = 5 / Math.sqrt(48_000);
/** Side/mid of independent equal-level noise: 10·log10((1−r)/(1+r)) ≈ −8.7·r dB, so 5σ of r. */
const INDEPENDENT_SIDE_TO_MID_TOLERANCE_DB = 8.7 * INDEPENDENT_CORRELATION_TOLERANCE;

const rate = { sampleRateHz: 48_000 };
const tone = (phaseRadians: number) =>
  sine({ ...rate, durationSeconds: 1, frequencyHz: 1000, peakDbfs: -6, phaseRadians, channelCount: 1 })
    .channels[0]!;

describe('measureStereo', () => {
  it('spec: L = sin(ωt), R = sin(ωt + φ) gives r = cos φ, side/mid = tan²(φ/2), width = sin²(φ/2)', () => {
    for (const phaseRadians of [Math.PI / 3, Math.PI / 2, (2 * Math.PI) / 3]) {
      const image = measureStereo({ ...rate, channels: [tone(0), tone(phaseRadians)] });
      expectWithin(
        image.correlation,
        Math.cos(phaseRadians),
        CLOSED_FORM_TOLERANCE,
        `r at φ=${phaseRadians}`,
      );
      expectWithin(
        image.sideToMidDb,
        10 * Math.log10(Math.tan(phaseRadians / 2) ** 2),
        CLOSED_FORM_TOLERANCE_DB,
        `side/mid at φ=${phaseRadians}`,
      );
      expectWithin(
        image.widthRatio,
        Math.sin(phaseRadians / 2) ** 2,
        CLOSED_FORM_TOLERANCE,
        `width at φ=${phaseRadians}`,
      );
    }
  });

  it('edge: dual mono reads r = 1, side/mid −Infinity, width 0', () => {
    const noise = whiteNoise({ ...rate, durationSeconds: 1, rmsDbfs: -20, correlated: true });
    const image = measureStereo(noise);
    expectWithin(image.correlation, 1, CLOSED_FORM_TOLERANCE, 'r');
    expect(image.sideToMidDb).toBe(Number.NEGATIVE_INFINITY);
    expect(image.widthRatio).toBe(0);
  });

  it('edge: right = −left reads r = −1, side/mid +Infinity, width 1', () => {
    const left = tone(0);
    const image = measureStereo({ ...rate, channels: [left, left.map((x) => -x)] });
    expectWithin(image.correlation, -1, CLOSED_FORM_TOLERANCE, 'r');
    expect(image.sideToMidDb).toBe(Number.POSITIVE_INFINITY);
    expect(image.widthRatio).toBe(1);
  });

  it('property: independent equal-level noise reads r ≈ 0, side/mid ≈ 0 dB, width ≈ 0.5', () => {
    const image = measureStereo(whiteNoise({ ...rate, durationSeconds: 1, rmsDbfs: -20 }));
    expectWithin(image.correlation, 0, INDEPENDENT_CORRELATION_TOLERANCE, 'r');
    expectWithin(image.sideToMidDb, 0, INDEPENDENT_SIDE_TO_MID_TOLERANCE_DB, 'side/mid');
    expectWithin(image.widthRatio, 0.5, INDEPENDENT_CORRELATION_TOLERANCE / 2, 'width');
  });

  it('property: a common gain changes nothing', () => {
    const noise = whiteNoise({ ...rate, durationSeconds: 1, rmsDbfs: -20 });
    const mixed = {
      ...rate,
      channels: [noise.channels[0]!, noise.channels[0]!.map((x, i) => 0.5 * x + noise.channels[1]![i]!)],
    };
    const quieter = { ...rate, channels: mixed.channels.map((c) => c.map((x) => x * 0.01)) };
    const a = measureStereo(mixed);
    const b = measureStereo(quieter);
    expectWithin(b.correlation, a.correlation, CLOSED_FORM_TOLERANCE, 'r');
    expectWithin(b.sideToMidDb, a.sideToMidDb, CLOSED_FORM_TOLERANCE_DB, 'side/mid');
    expectWithin(b.widthRatio, a.widthRatio, CLOSED_FORM_TOLERANCE, 'width');
  });

  it('edge: one silent channel reads r = 0, side/mid 0 dB, width 0.5', () => {
    const left = tone(0);
    const image = measureStereo({ ...rate, channels: [left, new Float32Array(left.length)] });
    expect(image.correlation).toBe(0);
    expectWithin(image.sideToMidDb, 0, CLOSED_FORM_TOLERANCE_DB, 'side/mid');
    expectWithin(image.widthRatio, 0.5, CLOSED_FORM_TOLERANCE, 'width');
  });

  it('edge: mono input and stereo silence read as dual mono', () => {
    for (const audio of [{ ...rate, channels: [tone(0)] }, silence({ ...rate, durationSeconds: 0.1 })]) {
      expect(measureStereo(audio)).toEqual({
        correlation: 1,
        sideToMidDb: Number.NEGATIVE_INFINITY,
        widthRatio: 0,
      });
    }
  });

  it('rejects invalid audio with DSP_INVALID_PARAMETER', () => {
    const channels = [new Float32Array(3), new Float32Array(4)];
    expect(() => measureStereo({ ...rate, channels })).toThrow(
      expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
    );
  });
});
