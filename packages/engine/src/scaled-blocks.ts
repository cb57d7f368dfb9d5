import type { PlanarAudio } from '@lacquer/dsp';

/** Frames per block when a gained programme is measured without being stored. */
const BLOCK_LENGTH_SAMPLES = 65536;

/**
 * Visits `audio · gainLinear · gainCurve` block by block, without storing it: each block is
 * computed into reused buffers (valid only during the call). Used to measure a candidate
 * master before committing it.
 */
export function forEachScaledBlock(
  audio: PlanarAudio,
  gainCurve: Float32Array,
  gainLinear: number,
  visit: (block: readonly Float32Array[]) => void,
): void {
  const length = gainCurve.length;
  const buffers = audio.channels.map(() => new Float32Array(Math.min(BLOCK_LENGTH_SAMPLES, length)));
  for (let start = 0; start < length; start += BLOCK_LENGTH_SAMPLES) {
    const blockLength = Math.min(BLOCK_LENGTH_SAMPLES, length - start);
    visit(
      audio.channels.map((x, c) => {
        const y = buffers[c]!.subarray(0, blockLength);
        for (let i = 0; i < blockLength; i++) y[i] = x[start + i]! * gainLinear * gainCurve[start + i]!;
        return y;
      }),
    );
  }
}
