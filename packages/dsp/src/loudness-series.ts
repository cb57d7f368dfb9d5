import type { HopEnergies } from './loudness-meter.ts';

/**
 * A loudness time series on a regular grid: value k is the loudness of the window that ends
 * at `firstEndSeconds + k·hopSeconds`.
 */
export interface LoudnessSeries {
  readonly windowSeconds: number;
  readonly hopSeconds: number;
  readonly firstEndSeconds: number;
  /** LUFS; `-Infinity` for digital silence. */
  readonly valuesLufs: Float64Array;
}

/** BS.1770-4 §2.4: loudness of a mean-square energy, L = −0.691 + 10·log10(Σ G_i·z_i²). */
export function energyToLufs(meanSquareEnergy: number): number {
  return -0.691 + 10 * Math.log10(meanSquareEnergy);
}

/**
 * Sliding-window loudness over hop energies: windows of `windowHops` hops, one value every
 * `strideHops` hops, complete windows only (the first ends at `windowHops` hops).
 * Window sums are accumulated directly, not by prefix differences, so a silent window reads
 * exactly `-Infinity` however loud the rest of the programme is.
 */
export function slidingLoudness(hops: HopEnergies, windowHops: number, strideHops = 1): LoudnessSeries {
  const { energies, hopLengthSamples, sampleRateHz } = hops;
  const count =
    energies.length < windowHops ? 0 : Math.floor((energies.length - windowHops) / strideHops) + 1;
  const valuesLufs = new Float64Array(count);
  const windowLengthSamples = windowHops * hopLengthSamples;
  for (let k = 0; k < count; k++) {
    const start = k * strideHops;
    let sum = 0;
    for (let h = start; h < start + windowHops; h++) sum += energies[h]!;
    valuesLufs[k] = energyToLufs(sum / windowLengthSamples);
  }
  const hopSeconds = hopLengthSamples / sampleRateHz;
  return {
    windowSeconds: windowHops * hopSeconds,
    hopSeconds: strideHops * hopSeconds,
    firstEndSeconds: windowHops * hopSeconds,
    valuesLufs,
  };
}

/** The largest value of a series; `-Infinity` when it is empty. */
export function seriesMaxLufs(series: LoudnessSeries): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of series.valuesLufs) if (value > max) max = value;
  return max;
}
