import { xorshift32 } from '@lacquer/testing';

// What the FIR tests compare against: random filters and signals, and direct convolution.

/** Random symmetric taps with Σ|h| = 1, so a signal within ±1 stays within ±1. */
export function randomSymmetricTaps(lengthSamples: number, seed: number): Float32Array {
  const random = xorshift32(seed);
  const half = (lengthSamples - 1) / 2;
  const values = new Float64Array(half + 1).map(() => random() * 2 - 1);
  const sum = values.reduce((total, v, n) => total + (n === 0 ? 1 : 2) * Math.abs(v), 0);
  const taps = new Float32Array(lengthSamples);
  for (let n = 0; n <= half; n++) {
    taps[half + n] = values[n]! / sum;
    taps[half - n] = values[n]! / sum;
  }
  return taps;
}

/** Uniform noise in ±`amplitude`, seeded. */
export function randomSignal(lengthSamples: number, seed: number, amplitude = 1): Float32Array {
  const random = xorshift32(seed);
  return new Float32Array(lengthSamples).map(() => amplitude * (random() * 2 - 1));
}

/** Zero-phase direct convolution in float64: `y[n] = Σ_k h[k]·x[n + (L−1)/2 − k]`, zeros outside x. */
export function directZeroPhase(x: ArrayLike<number>, taps: Float32Array): Float64Array {
  const half = (taps.length - 1) / 2;
  const y = new Float64Array(x.length);
  for (let n = 0; n < x.length; n++) {
    let sum = 0;
    const kFrom = Math.max(0, n + half - x.length + 1);
    const kTo = Math.min(taps.length - 1, n + half);
    for (let k = kFrom; k <= kTo; k++) sum += taps[k]! * x[n + half - k]!;
    y[n] = sum;
  }
  return y;
}

/** Largest `|a[n + aOffset] − b[n]|` over `b`. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>, aOffset = 0): number {
  let worst = 0;
  for (let n = 0; n < b.length; n++) worst = Math.max(worst, Math.abs(a[n + aOffset]! - b[n]!));
  return worst;
}
