import { kWeightingCoefficients } from './k-weighting.ts';

/**
 * The BS.1770-4 K-weighting filter (shelf, then RLB high-pass) for one channel, specialised
 * for speed: both stages inline with float64 state, the high-pass's fixed numerator
 * [1, −2, 1] folded in. Keeps its state across calls, so blocks of any size chain exactly.
 */
export interface KWeightingFilter {
  /**
   * Filters `channel[from, to)` and returns Σ z² of the K-weighted samples z. With
   * `squares`, also adds `weight·z[i]²` to `squares[i − from + squaresOffset]`.
   */
  filter(
    channel: Float32Array,
    from: number,
    to: number,
    squares?: Float32Array,
    squaresOffset?: number,
    weight?: number,
  ): number;
  reset(): void;
}

/** Creates a K-weighting filter for `sampleRateHz` (see `kWeightingCoefficients`). */
export function createKWeightingFilter(sampleRateHz: number): KWeightingFilter {
  const [shelf, highPass] = kWeightingCoefficients(sampleRateHz);
  const { b0, b1, b2, a1, a2 } = shelf;
  const hb0 = highPass.b0;
  const ha1 = highPass.a1;
  const ha2 = highPass.a2;
  // x1 x2 (shelf input), y1 y2 (shelf output = high-pass input), z1 z2 (high-pass output).
  const state = new Float64Array(6);
  return {
    filter(channel, from, to, squares, squaresOffset = 0, weight = 1) {
      // Locals, not closure variables: V8 keeps them in registers in the hot loop.
      let x1 = state[0]!;
      let x2 = state[1]!;
      let y1 = state[2]!;
      let y2 = state[3]!;
      let z1 = state[4]!;
      let z2 = state[5]!;
      let sum = 0;
      const shift = squaresOffset - from;
      for (let i = from; i < to; i++) {
        const x = channel[i]!;
        const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = x;
        const z = hb0 * (y - 2 * y1 + y2) - ha1 * z1 - ha2 * z2;
        y2 = y1;
        y1 = y;
        z2 = z1;
        z1 = z;
        const square = z * z;
        sum += square;
        if (squares !== undefined) squares[i + shift]! += weight * square;
      }
      state[0] = x1;
      state[1] = x2;
      state[2] = y1;
      state[3] = y2;
      state[4] = z1;
      state[5] = z2;
      return sum;
    },
    reset() {
      state.fill(0);
    },
  };
}
