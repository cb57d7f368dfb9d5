/**
 * Copies `output.length / channels.length` frames of planar channels, from frame
 * `startFrame` on, into `output` interleaved (`[L0, R0, L1, R1, …]`). Tight typed-array loops,
 * with unrolled paths for mono and stereo; no allocation.
 *
 * The caller guarantees `output.length` is a multiple of `channels.length` and that every
 * channel holds the frames asked for.
 */
export function interleave(
  channels: readonly Float32Array[],
  startFrame: number,
  output: Float32Array,
): void {
  const channelCount = channels.length;
  const frames = output.length / channelCount;
  if (channelCount === 1) {
    output.set(channels[0]!.subarray(startFrame, startFrame + frames));
  } else if (channelCount === 2) {
    const left = channels[0]!;
    const right = channels[1]!;
    for (let i = 0, j = 0, k = startFrame; i < frames; i++, j += 2, k++) {
      output[j] = left[k]!;
      output[j + 1] = right[k]!;
    }
  } else {
    for (let c = 0; c < channelCount; c++) {
      const channel = channels[c]!;
      for (let i = 0, j = c, k = startFrame; i < frames; i++, j += channelCount, k++) {
        output[j] = channel[k]!;
      }
    }
  }
}
