import { describe, expect, it } from 'vitest';
import { assertParameter, assertPlanarAudio } from './assert-planar-audio.ts';

const INVALID = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });

describe('assertPlanarAudio', () => {
  it('accepts mono, stereo and zero-length audio', () => {
    expect(() =>
      assertPlanarAudio({ sampleRateHz: 48_000, channels: [new Float32Array(4)] }, 't'),
    ).not.toThrow();
    expect(() =>
      assertPlanarAudio({ sampleRateHz: 44_100, channels: [new Float32Array(3), new Float32Array(3)] }, 't'),
    ).not.toThrow();
    expect(() =>
      assertPlanarAudio({ sampleRateHz: 8000, channels: [new Float32Array(0)] }, 't'),
    ).not.toThrow();
  });

  it('rejects audio without channels', () => {
    expect(() => assertPlanarAudio({ sampleRateHz: 48_000, channels: [] }, 't')).toThrow(INVALID);
  });

  it('rejects channels of different lengths', () => {
    const channels = [new Float32Array(4), new Float32Array(5)];
    expect(() => assertPlanarAudio({ sampleRateHz: 48_000, channels }, 't')).toThrow(INVALID);
  });

  it.each([0, -44_100, Number.NaN, Number.POSITIVE_INFINITY])('rejects sampleRateHz %s', (sampleRateHz) => {
    expect(() => assertPlanarAudio({ sampleRateHz, channels: [new Float32Array(4)] }, 't')).toThrow(INVALID);
  });
});

describe('assertParameter', () => {
  it('throws DSP_INVALID_PARAMETER with the parameter in details when the condition fails', () => {
    expect(() => assertParameter(false, 'feature', 'gainDb', 99)).toThrow(
      expect.objectContaining({
        code: 'DSP_INVALID_PARAMETER',
        details: { feature: 'feature', parameter: 'gainDb', value: 99 },
      }),
    );
    expect(() => assertParameter(true, 'feature', 'gainDb', 0)).not.toThrow();
  });
});
