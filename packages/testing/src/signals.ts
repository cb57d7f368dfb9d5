import type { PlanarAudio } from '@lacquer/dsp';

/** Options of the generators: the sample rate is always explicit. */
export interface SignalOptions {
  readonly sampleRateHz: number;
  readonly durationSeconds: number;
  /** Channels, each a copy of the signal (default 2). */
  readonly channelCount?: number;
}

function fill(options: SignalOptions, sampleAt: (index: number) => number): PlanarAudio {
  const lengthSamples = Math.round(options.durationSeconds * options.sampleRateHz);
  const mono = new Float32Array(lengthSamples);
  for (let i = 0; i < lengthSamples; i++) mono[i] = sampleAt(i);
  const channelCount = options.channelCount ?? 2;
  return {
    sampleRateHz: options.sampleRateHz,
    channels: Array.from({ length: channelCount }, (_, c) => (c === 0 ? mono : mono.slice())),
  };
}

/** A sine of `frequencyHz` with peak amplitude `10^(peakDbfs/20)`, phase in radians. */
export function sine(
  options: SignalOptions & { frequencyHz: number; peakDbfs: number; phaseRadians?: number },
) {
  const amplitude = 10 ** (options.peakDbfs / 20);
  const step = (2 * Math.PI * options.frequencyHz) / options.sampleRateHz;
  const phase = options.phaseRadians ?? 0;
  return fill(options, (i) => amplitude * Math.sin(step * i + phase));
}

/** Digital silence. */
export function silence(options: SignalOptions): PlanarAudio {
  return fill(options, () => 0);
}

/**
 * Deterministic white noise (uniform, xorshift32 from `seed`) with RMS `rmsDbfs`. Channels
 * are independent unless `correlated` is set.
 */
export function whiteNoise(
  options: SignalOptions & { rmsDbfs: number; seed?: number; correlated?: boolean },
) {
  const lengthSamples = Math.round(options.durationSeconds * options.sampleRateHz);
  const channelCount = options.channelCount ?? 2;
  // Uniform on [−a, a] has RMS a/√3.
  const amplitude = Math.sqrt(3) * 10 ** (options.rmsDbfs / 20);
  const random = xorshift32(options.seed ?? 0x9e3779b9);
  const next = () => random() * 2 - 1;
  const channels: Float32Array[] = [];
  for (let c = 0; c < channelCount; c++) {
    if (c > 0 && options.correlated) {
      channels.push(channels[0]!.slice());
      continue;
    }
    const channel = new Float32Array(lengthSamples);
    for (let i = 0; i < lengthSamples; i++) channel[i] = amplitude * next();
    channels.push(channel);
  }
  return { sampleRateHz: options.sampleRateHz, channels };
}

/**
 * A deterministic uniform generator on [0, 1): xorshift32 (Marsaglia 2003, "Xorshift RNGs").
 * Seed 0 is replaced by 1 (xorshift's one fixed point).
 */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

/** Concatenates signals of the same rate and channel count in time. */
export function concat(...parts: PlanarAudio[]): PlanarAudio {
  const first = parts[0];
  if (!first) throw new RangeError('concat needs at least one part');
  const channelCount = first.channels.length;
  const total = parts.reduce((sum, p) => sum + (p.channels[0]?.length ?? 0), 0);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(total));
  let offset = 0;
  for (const part of parts) {
    for (let c = 0; c < channelCount; c++) channels[c]!.set(part.channels[c]!, offset);
    offset += part.channels[0]?.length ?? 0;
  }
  return { sampleRateHz: first.sampleRateHz, channels };
}
