/**
 * Copies interleaved frames (`[L0, R0, L1, R1, …]`) into planar channels starting at frame
 * `offsetFrames` of each: `interleaved.length / channels.length` frames. Tight typed-array
 * loops, with unrolled paths for mono and stereo; no allocation.
 *
 * The caller guarantees `interleaved.length` is a multiple of `channels.length` and that every
 * channel has room for the frames after `offsetFrames` (a typed array silently drops writes
 * past its end).
 */
export function deinterleave(
  interleaved: Float32Array,
  channels: readonly Float32Array[],
  offsetFrames: number,
): void {
  const channelCount = channels.length;
  const frames = interleaved.length / channelCount;
  if (channelCount === 1) {
    channels[0]!.set(interleaved, offsetFrames);
  } else if (channelCount === 2) {
    const left = channels[0]!;
    const right = channels[1]!;
    for (let i = 0, j = 0, k = offsetFrames; i < frames; i++, j += 2, k++) {
      left[k] = interleaved[j]!;
      right[k] = interleaved[j + 1]!;
    }
  } else {
    for (let c = 0; c < channelCount; c++) {
      const channel = channels[c]!;
      for (let i = 0, j = c, k = offsetFrames; i < frames; i++, j += channelCount, k++) {
        channel[k] = interleaved[j]!;
      }
    }
  }
}
