import { dbToPower } from './decibels.ts';
import { energyToLufs, type LoudnessSeries } from './loudness-series.ts';

/** EBU Tech 3342 §3 gates and percentiles. */
const LRA_ABSOLUTE_GATE_LUFS = -70;
const LRA_RELATIVE_GATE_LU = -20;
const LOW_PERCENTILE = 0.1;
const HIGH_PERCENTILE = 0.95;

/**
 * Loudness range (LRA) per EBU Tech 3342 §3: the spread between the 10th and 95th
 * percentiles of short-term loudness (3 s windows, here every 100 ms), after an absolute
 * gate at −70 LUFS and a relative gate 20 LU below the mean of the rest.
 * Percentiles are taken at rank round((n−1)·p) of the sorted values, as libebur128 does.
 *
 * @returns LU, ≥ 0; 0 when fewer than two short-term values pass the gates.
 */
export function loudnessRangeLu(shortTerm: LoudnessSeries): number {
  const aboveAbsolute = shortTerm.valuesLufs.filter((v) => v > LRA_ABSOLUTE_GATE_LUFS);
  if (aboveAbsolute.length === 0) return 0;
  let powerSum = 0;
  for (const v of aboveAbsolute) powerSum += dbToPower(v + 0.691);
  const relativeGateLufs = energyToLufs(powerSum / aboveAbsolute.length) + LRA_RELATIVE_GATE_LU;
  const gated = aboveAbsolute.filter((v) => v > relativeGateLufs).sort();
  if (gated.length < 2) return 0;
  const low = gated[Math.round((gated.length - 1) * LOW_PERCENTILE)]!;
  const high = gated[Math.round((gated.length - 1) * HIGH_PERCENTILE)]!;
  return high - low;
}
