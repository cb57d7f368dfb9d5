import { execFileSync } from 'node:child_process';
import { fixturePath } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { applyProcessor } from './apply-processor.ts';
import { analyzeLoudness } from './loudness-analyzer.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { createTruePeakLimiter, TRUE_PEAK_LIMITER_MARGIN_DB } from './true-peak-limiter.ts';
import { createPeakMeter } from './true-peak-meter.ts';

/**
 * Decodes a committed fixture to planar float32 with the ffmpeg CLI (dsp cannot depend on
 * @lacquer/media, which depends on it), `gainDb` applied in float (no clipping).
 */
function decodeFixture(name: string, gainDb: number): PlanarAudio {
  const bytes = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      fixturePath(name),
      '-af',
      `volume=${gainDb}dB`,
      '-f',
      'f32le',
      '-acodec',
      'pcm_f32le',
      '-ac',
      '2',
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const interleaved = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const frames = interleaved.length / 2;
  const channels = [new Float32Array(frames), new Float32Array(frames)];
  for (let i = 0; i < frames; i++) {
    channels[0]![i] = interleaved[2 * i]!;
    channels[1]![i] = interleaved[2 * i + 1]!;
  }
  return { sampleRateHz: 44100, channels };
}

describe('createTruePeakLimiter on real music', () => {
  it.each(['audio/metal-madness-mix-15s.flac', 'audio/chaos-god-mix-15s.flac'])(
    'property: %s driven 12 dB into a −1 dBTP ceiling measures at or under −1 dBTP',
    (name) => {
      const input = decodeFixture(name, 12);
      const before = analyzeLoudness(input);
      expect(before.truePeakDbtp).toBeGreaterThan(3);
      const limiter = createTruePeakLimiter({ sampleRateHz: 44100, channelCount: 2, ceilingDbtp: -1 });
      const output = applyProcessor(limiter, input, { blockLengthsSamples: [4096, 1000, 77] });
      const after = analyzeLoudness(output);
      expect(after.truePeakDbtp).toBeLessThanOrEqual(-1);
      // Also between the 4× grid points (the detector's continuous estimate).
      const continuous = createPeakMeter({ sampleRateHz: 44100, channelCount: 2, continuous: true });
      continuous.push(output.channels);
      expect(20 * Math.log10(Math.max(...continuous.truePeaksLinear()))).toBeLessThanOrEqual(-1);
      // Limited, not merely attenuated: the peaks reach the ceiling less the detector margin.
      expect(after.truePeakDbtp).toBeGreaterThan(-1 - TRUE_PEAK_LIMITER_MARGIN_DB - 0.01);
      expect(limiter.maxGainReductionDb).toBeGreaterThan(before.truePeakDbtp);
    },
  );
});
