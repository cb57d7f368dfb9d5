import { describe, expect, it } from 'vitest';
import { createF32leFrameReader } from './f32le-frame-reader.ts';

/** The bytes of `values` as little-endian float32 (what ffmpeg `-f f32le` writes). */
function f32leBytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

/** Pushes `bytes` split at `cuts` (byte offsets), each piece copied to `misalign` bytes into a fresh buffer. */
function readAll(bytes: Uint8Array, channelCount: number, cuts: readonly number[], misalign = 0) {
  const reader = createF32leFrameReader(channelCount);
  const samples: number[] = [];
  const runLengths: number[] = [];
  const bounds = [0, ...cuts, bytes.length];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const piece = bytes.subarray(bounds[k]!, bounds[k + 1]!);
    const backing = new Uint8Array(piece.length + misalign);
    backing.set(piece, misalign);
    for (const run of reader.push(backing.subarray(misalign))) {
      runLengths.push(run.length);
      samples.push(...run); // copied now: runs are valid until the next push only
    }
  }
  return { samples, runLengths, pendingBytes: reader.pendingBytes };
}

describe('createF32leFrameReader', () => {
  const values = Array.from({ length: 60 }, (_, i) => i + 0.5); // 30 stereo frames, 10 of 6 channels
  const bytes = f32leBytes(values);

  // property: the chunking does not change the samples (a chunk may end inside a sample or a frame)
  it.each([1, 2, 6])('returns whole frames of %i channels for a cut at every byte offset', (channelCount) => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const { samples, runLengths, pendingBytes } = readAll(bytes, channelCount, [cut]);
      expect(samples).toEqual(values);
      expect(runLengths.every((length) => length % channelCount === 0)).toBe(true);
      expect(pendingBytes).toBe(0);
    }
  });

  it.each([1, 2, 3])('reads chunks that are not 4-byte aligned in memory (offset %i)', (misalign) => {
    const cuts = [3, 17, 18, 64, 101, 200];
    expect(readAll(bytes, 2, cuts, misalign).samples).toEqual(values);
  });

  it('reads one byte at a time', () => {
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(readAll(bytes, 6, cuts).samples).toEqual(values);
  });

  it('holds back an incomplete frame and reports it', () => {
    const { samples, pendingBytes } = readAll(bytes.subarray(0, 8 * 3 + 5), 2, [7]);
    expect(samples).toEqual(values.slice(0, 6));
    expect(pendingBytes).toBe(5);
  });

  it('passes special values through bit for bit', () => {
    const special = [Number.NaN, Number.POSITIVE_INFINITY, -0, 1.5, -2.25, 3.4e38];
    const { samples } = readAll(f32leBytes(special), 2, [5, 13]);
    expect(samples.map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual([
      'NaN',
      'Infinity',
      '-0',
      '1.5',
      '-2.25',
      String(Math.fround(3.4e38)),
    ]);
  });
});
