import { dbToPower } from './decibels.ts';
import { energyToLufs, type LoudnessSeries } from './loudness-series.ts';

/** BS.1770-4 §2.5 absolute gate, LUFS. */
export const ABSOLUTE_GATE_LUFS = -70;
/** BS.1770-4 §2.5 relative gate, LU below the absolute-gated mean. */
export const RELATIVE_GATE_LU = -10;

/**
 * Gated integrated loudness per ITU-R BS.1770-4 §2.5 from the loudness of its gating blocks
 * (400 ms, 75 % overlap: the momentary series with a 100 ms stride). Blocks under −70 LUFS
 * are dropped, then blocks more than 10 LU under the mean of the rest.
 *
 * @returns LUFS; `-Infinity` when no block passes the gates (silence, or under 400 ms).
 */
export function gatedIntegratedLoudness(gatingBlocks: LoudnessSeries): number {
  const blocks = gatingBlocks.valuesLufs;
  const absoluteMeanPower = meanPowerAbove(blocks, ABSOLUTE_GATE_LUFS);
  if (absoluteMeanPower === 0) return Number.NEGATIVE_INFINITY;
  const relativeGateLufs = energyToLufs(absoluteMeanPower) + RELATIVE_GATE_LU;
  const gatedMeanPower = meanPowerAbove(blocks, Math.max(relativeGateLufs, ABSOLUTE_GATE_LUFS));
  return energyToLufs(gatedMeanPower);
}

/** Mean of the blocks' energies (power, gate offset removed) over blocks strictly above `gateLufs`. */
function meanPowerAbove(blocksLufs: Float64Array, gateLufs: number): number {
  let sum = 0;
  let count = 0;
  for (const loudnessLufs of blocksLufs) {
    if (loudnessLufs > gateLufs) {
      sum += dbToPower(loudnessLufs + 0.691);
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}
