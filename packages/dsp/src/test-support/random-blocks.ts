import type { PlanarAudio } from '@lacquer/dsp';
import { xorshift32 } from '@lacquer/testing';

// What the tests of the streaming forms use: a programme pushed in blocks of random lengths.

/** Pushes `audio` to `push` in consecutive blocks of 1 … `maxBlockSamples` frames (seeded). */
export function pushInRandomBlocks(
  audio: PlanarAudio,
  push: (block: readonly Float32Array[]) => void,
  seed: number,
  maxBlockSamples = 5000,
): void {
  const random = xorshift32(seed);
  const length = audio.channels[0]?.length ?? 0;
  for (let start = 0; start < length; ) {
    const end = Math.min(length, start + 1 + Math.floor(random() * maxBlockSamples));
    push(audio.channels.map((channel) => channel.subarray(start, end)));
    start = end;
  }
}

/**
 * A test programme with a bit of everything the analysis features look at: stereo noise
 * whose level steps every 0.7 s (some steps silent, some driven past full scale, so
 * there are clipped runs and silences), at `sampleRateHz`.
 */
export function steppedNoise(sampleRateHz: number, durationSeconds: number, channelCount = 2): PlanarAudio {
  const random = xorshift32(0x51ed);
  const length = Math.round(durationSeconds * sampleRateHz);
  const stepSamples = Math.round(0.7 * sampleRateHz);
  const levels = [0.3, 0, 1.4, 0.05, 0.8, 0];
  const channels = Array.from({ length: channelCount }, (_, c) => {
    const channel = new Float32Array(length);
    for (let n = 0; n < length; n++) {
      const level = levels[Math.floor(n / stepSamples) % levels.length]! * (c === 1 ? 0.7 : 1);
      channel[n] = Math.max(-1, Math.min(1, level * (random() * 2 - 1) * 1.5));
    }
    return channel;
  });
  return { sampleRateHz, channels };
}
