/**
 * Index of the first NaN or ±Infinity in `samples`, or −1 when every sample is finite.
 *
 * One branch-free pass (`v − v` is 0 for a finite `v` and NaN otherwise, and NaN absorbs every
 * sum), then a second pass only when something was found.
 */
export function findNonFiniteSample(samples: Float32Array): number {
  let probe = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    probe += v - v;
  }
  if (probe === 0) return -1;
  return samples.findIndex((v) => !Number.isFinite(v));
}
