/**
 * ISO 266 nominal one-third-octave centre frequencies, 20 Hz … 20 kHz, for labels: the band
 * of index `k` (1 kHz is `k = 0`) is at position `k − FIRST_NOMINAL_BAND_INDEX`.
 */
export const NOMINAL_THIRD_OCTAVE_CENTRES_HZ = [
  20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000,
  2500, 3150, 4000, 5000, 6300, 8000, 10_000, 12_500, 16_000, 20_000,
] as const;
/** Band index `k` of the first entry of {@link NOMINAL_THIRD_OCTAVE_CENTRES_HZ} (20 Hz). */
export const FIRST_NOMINAL_BAND_INDEX = -17;

/** Exact centre and edges of one one-third-octave band, Hz. */
export interface ThirdOctaveBandEdges {
  readonly centreFrequencyHz: number;
  readonly lowerEdgeFrequencyHz: number;
  readonly upperEdgeFrequencyHz: number;
}

/**
 * The one-third-octave band of index `k` (any integer; 1 kHz is `k = 0`) per IEC 61260-1:2014
 * §5.4 with base-2 exact centres: centre `1000 · 2^(k/3)` Hz, edges `centre · 2^(∓1/6)` Hz.
 */
export function thirdOctaveBandEdges(bandIndex: number): ThirdOctaveBandEdges {
  const centreFrequencyHz = 1000 * 2 ** (bandIndex / 3);
  return {
    centreFrequencyHz,
    lowerEdgeFrequencyHz: centreFrequencyHz * 2 ** (-1 / 6),
    upperEdgeFrequencyHz: centreFrequencyHz * 2 ** (1 / 6),
  };
}

/**
 * Power of a one-sided binned power spectrum in `[lowHz, highHz]`: bin `k` (at `k · binWidthHz`)
 * is a rectangle over `[(k − ½)·Δ, (k + ½)·Δ]` and is split between bands by overlap, so
 * adjacent bands share a bin's power without losing or counting any twice. The bins of
 * `binPower` are `k = 0 … binPower.length − 1`; the part of the interval beyond the last bin
 * holds nothing. `0 ≤ lowHz ≤ highHz`.
 */
export function binnedBandPower(
  binPower: Float64Array,
  binWidthHz: number,
  lowHz: number,
  highHz: number,
): number {
  const firstBin = Math.max(0, Math.round(lowHz / binWidthHz));
  const lastBin = Math.min(binPower.length - 1, Math.round(highHz / binWidthHz));
  let power = 0;
  for (let k = firstBin; k <= lastBin; k++) {
    const overlapHz = Math.min(highHz, (k + 0.5) * binWidthHz) - Math.max(lowHz, (k - 0.5) * binWidthHz);
    if (overlapHz > 0) power += (binPower[k]! * overlapHz) / binWidthHz;
  }
  return power;
}
