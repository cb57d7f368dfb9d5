import type { TruePeakInterpolator } from '../true-peak-interpolator.ts';

/**
 * The continuous peak estimate of every interval [m, m+1) of one channel, from the
 * definition, for tests: the programme padded with zeros, the grid values at m + j/F
 * (j = −1 … F; branch p at padded input u + latency gives time u + p/F, branch 0 is the
 * sample), the parabola on s·y through the largest |value| of j = 0 … F − 1 and its
 * neighbours (s its sign), its vertex where that value is the largest of the three.
 * Intervals run from m = −taps to length + taps (the ringing before and after the programme).
 *
 * @returns `[m, estimate]` pairs.
 */
export function continuousPeaksByDefinition(
  x: Float32Array,
  interpolator: TruePeakInterpolator,
): [m: number, peak: number][] {
  const { phases, tapsPerPhase, latencySamples } = interpolator;
  const factor = phases.length;
  const pad = 2 * tapsPerPhase + 2;
  const padded = new Float64Array(x.length + 2 * pad);
  padded.set(x, pad);
  const value = (m: number, j: number): number => {
    const p = ((j % factor) + factor) % factor;
    const u = m + Math.floor(j / factor) + pad;
    if (p === 0) return padded[u]!;
    let acc = 0;
    for (let k = 0; k < tapsPerPhase; k++) acc += phases[p]![k]! * padded[u + latencySamples - k]!;
    return acc;
  };
  const peaks: [number, number][] = [];
  for (let m = -tapsPerPhase; m < x.length + tapsPerPhase; m++) {
    const grid = Array.from({ length: factor + 2 }, (_, i) => value(m, i - 1));
    let at = 1;
    for (let i = 2; i <= factor; i++) if (Math.abs(grid[i]!) > Math.abs(grid[at]!)) at = i;
    const sign = Math.sign(grid[at]!);
    const [a, b, c] = [sign * grid[at - 1]!, sign * grid[at]!, sign * grid[at + 1]!];
    const beta = (c - a) / 2;
    const gamma = (a + c) / 2 - b;
    peaks.push([m, a > b || c > b || gamma === 0 ? b : b - (beta * beta) / (4 * gamma)]);
  }
  return peaks;
}
