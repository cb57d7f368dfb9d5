import type { PlanarAudio } from '@lacquer/dsp';

/** Largest |sample| over all channels, linear (1.0 = full scale). Test helper. */
export function planarPeak(audio: PlanarAudio): number {
  let peak = 0;
  for (const channel of audio.channels) {
    for (let i = 0; i < channel.length; i++) {
      const magnitude = Math.abs(channel[i]!);
      if (magnitude > peak) peak = magnitude;
    }
  }
  return peak;
}
