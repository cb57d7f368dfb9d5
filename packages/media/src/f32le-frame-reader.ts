/** Bytes in one 32-bit float sample. */
const SAMPLE_BYTES = 4;

/**
 * Turns a byte stream of interleaved little-endian 32-bit floats (ffmpeg's `-f f32le`) into
 * runs of whole frames, whatever the chunk boundaries: a chunk may end inside a sample or a
 * frame, and its bytes need not be 4-byte aligned in memory.
 */
export interface F32leFrameReader {
  /**
   * Consumes `chunk` and returns the whole frames it completes, interleaved, as at most two
   * runs (the frame completed from the previous chunk's leftover bytes, then the rest). The
   * runs are views into the chunk or into scratch memory of the reader: valid only until the
   * next `push`; copy what you keep.
   */
  push(chunk: Uint8Array): readonly Float32Array[];
  /** Bytes held back because they do not yet make a whole frame (0 at a clean end of stream). */
  readonly pendingBytes: number;
}

/**
 * A {@link F32leFrameReader} for `channelCount` interleaved channels. Zero-copy for aligned
 * chunks; misaligned ones are copied once into reusable scratch memory. Assumes a
 * little-endian host (x86-64, arm64; checked once here).
 *
 * @throws RangeError when `channelCount` is not a positive integer, or on a big-endian host.
 */
export function createF32leFrameReader(channelCount: number): F32leFrameReader {
  if (!(Number.isInteger(channelCount) && channelCount > 0)) {
    throw new RangeError(`channelCount must be a positive integer, got ${channelCount}`);
  }
  if (new Uint8Array(new Float32Array([1]).buffer)[3] !== 0x3f) {
    throw new RangeError('f32le frames can only be viewed in place on a little-endian host');
  }
  const frameBytes = channelCount * SAMPLE_BYTES;
  // Leftover bytes of an incomplete frame, completed by the next chunk.
  const carry = new Float32Array(channelCount);
  const carryBytes = new Uint8Array(carry.buffer);
  let carryLength = 0;
  // The frame completed from `carry`, kept apart: `carry` takes this chunk's own leftover.
  const completed = new Float32Array(channelCount);
  let scratch = new Float32Array(0);
  const runs: Float32Array[] = [];

  return {
    get pendingBytes() {
      return carryLength;
    },
    push(chunk) {
      runs.length = 0;
      let offset = 0;
      if (carryLength > 0) {
        const take = Math.min(frameBytes - carryLength, chunk.length);
        carryBytes.set(chunk.subarray(0, take), carryLength);
        carryLength += take;
        offset = take;
        if (carryLength < frameBytes) return runs;
        completed.set(carry);
        runs.push(completed);
        carryLength = 0;
      }
      const wholeFrames = Math.floor((chunk.length - offset) / frameBytes);
      const wholeBytes = wholeFrames * frameBytes;
      if (wholeFrames > 0) {
        const start = chunk.byteOffset + offset;
        if (start % SAMPLE_BYTES === 0) {
          runs.push(new Float32Array(chunk.buffer, start, wholeFrames * channelCount));
        } else {
          if (scratch.length < wholeFrames * channelCount)
            scratch = new Float32Array(wholeFrames * channelCount);
          const run = scratch.subarray(0, wholeFrames * channelCount);
          new Uint8Array(run.buffer, 0, wholeBytes).set(chunk.subarray(offset, offset + wholeBytes));
          runs.push(run);
        }
        offset += wholeBytes;
      }
      if (offset < chunk.length) {
        carryBytes.set(chunk.subarray(offset), 0);
        carryLength = chunk.length - offset;
      }
      return runs;
    },
  };
}
