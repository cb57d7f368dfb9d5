import type { PlanarAudio } from '@lacquer/dsp';
import { xorshift32 } from '@lacquer/testing/signals';

/** Options of {@link testMix}. */
export interface TestMixOptions {
  readonly sampleRateHz: number;
  readonly durationSeconds: number;
  /** Channels (default 2); beyond the first two they repeat the pair at lower levels. */
  readonly channelCount?: number;
  /** Peak level of the result in dBFS (default −3). */
  readonly peakDbfs?: number;
}

/** A chord of A2, E3, A3 and C#4: fundamentals in Hz, each with six harmonics of amplitude 1/k. */
const CHORD_HZ = [110, 165, 220, 277.18] as const;
/** Beat of the kick (a decaying 55 Hz burst) and of the hats (decaying noise), seconds. */
const KICK_PERIOD_SECONDS = 0.5;
const HAT_PERIOD_SECONDS = 0.125;
/** Fade in and out, seconds: no click at either end. */
const FADE_SECONDS = 0.01;

/**
 * A short, deterministic stand-in for a mix: a sustained chord (different voicing left and
 * right), a kick every 500 ms and noise hats every 125 ms, scaled to `peakDbfs`. It has what
 * the engine measures on music (bass, mids, highs, transients, stereo width, a crest factor of
 * about 12 dB), at any sample rate (harmonics above Nyquist are left out).
 */
export function testMix(options: TestMixOptions): PlanarAudio {
  const { sampleRateHz, durationSeconds } = options;
  const channelCount = options.channelCount ?? 2;
  const frames = Math.max(0, Math.round(durationSeconds * sampleRateHz));
  const random = xorshift32(0x6c61_6371);
  const pair = [0, 1].map((side) => {
    const out = new Float32Array(frames);
    let previousNoise = 0;
    for (let i = 0; i < frames; i++) {
      const t = i / sampleRateHz;
      let chord = 0;
      CHORD_HZ.forEach((fundamentalHz, voice) => {
        const weight = side === 0 ? 1 - voice * 0.15 : 0.55 + voice * 0.15;
        for (let k = 1; k <= 6 && fundamentalHz * k < sampleRateHz / 2; k++) {
          chord += (weight / k) * Math.sin(2 * Math.PI * fundamentalHz * k * t + side * 0.7 * k);
        }
      });
      const kickT = t % KICK_PERIOD_SECONDS;
      const kick = Math.exp(-kickT * 18) * Math.sin(2 * Math.PI * 55 * kickT * (1 + Math.exp(-kickT * 40)));
      const noise = random() * 2 - 1;
      const hat = Math.exp(-(t % HAT_PERIOD_SECONDS) * 60) * (noise - previousNoise) * 0.5;
      previousNoise = noise;
      const fade = Math.min(1, t / FADE_SECONDS, (durationSeconds - t) / FADE_SECONDS);
      out[i] = fade * (0.12 * chord + 0.6 * kick + 0.35 * hat);
    }
    return out;
  });
  let peak = 0;
  for (const channel of pair) for (const value of channel) peak = Math.max(peak, Math.abs(value));
  const gain = peak === 0 ? 0 : 10 ** ((options.peakDbfs ?? -3) / 20) / peak;
  const channels = Array.from({ length: channelCount }, (_, c) => {
    const source = pair[c % 2]!;
    const level = gain * (c < 2 ? 1 : 0.5);
    return source.map((value) => value * level);
  });
  return { sampleRateHz, channels };
}
