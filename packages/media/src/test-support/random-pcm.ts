import { xorshift32 } from '@lacquer/testing';
import { PCM_BYTES_PER_SAMPLE, type PcmEncoding } from '../pcm-to-planar.ts';

/**
 * `samples` samples of `encoding` as little-endian bytes, in a buffer of their own (aligned for
 * typed views), reproducible from `seed`. Integers take every bit pattern; float32 every finite
 * one (denormals, −0 and values far beyond full scale included); float64 lies within ±4 with
 * all 52 bits of mantissa, so that its rounding to float32 is exercised rather than its
 * overflow. Test helper: inputs for differential tests, not audio.
 */
export function randomPcm(encoding: PcmEncoding, samples: number, seed: number): Uint8Array {
  const next = xorshift32(seed);
  const byteLength = samples * PCM_BYTES_PER_SAMPLE[encoding];
  const buffer = new ArrayBuffer(Math.ceil(byteLength / 8) * 8);
  const words = new Uint32Array(buffer);
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(next() * 2 ** 32);
  if (encoding === 'f32') {
    const floats = new Float32Array(buffer, 0, samples);
    for (let i = 0; i < samples; i++) if (!Number.isFinite(floats[i]!)) floats[i] = -0;
  } else if (encoding === 'f64') {
    const doubles = new Float64Array(buffer, 0, samples);
    for (let i = 0; i < samples; i++) doubles[i] = (next() - 0.5) * 8 + next() * 2 ** -30;
  }
  return new Uint8Array(buffer, 0, byteLength);
}
