import { interpolateLogFrequency } from '@lacquer/dsp';
import type { MasteringPlan } from './mastering-plan.ts';
import { tonalMoveShapeDb } from './tonal-move-shape.ts';

/** A magnitude response, dB at a frequency in Hz. */
export type GainCurve = (frequencyHz: number) => number;

/** Below this the match EQ may cut but not boost: subsonics only eat headroom (Hz). */
const NO_BOOST_BELOW_HZ = 25;
/** Deepest cut a curve asks of the FIR design (dB): the mono-bass crossover tends to −∞. */
const FLOOR_DB = -80;

/**
 * The mid and side responses of a plan's linear-phase stage: auto mode's EQ moves (the same
 * on mid and side), the reference match EQ, the width (side only) and the mono-bass
 * crossover (side only). `null` when the plan has no move that needs the FIR; a plan with
 * only a width change is cheaper as a plain side gain.
 */
export function eqCurves(plan: MasteringPlan): { mid: GainCurve; side: GainCurve } | null {
  if (plan.eq.length === 0 && !plan.matchEq && !plan.monoBass) return null;
  const auto: GainCurve = (hz) =>
    plan.eq.reduce((sum, move) => sum + move.gainDb * tonalMoveShapeDb(move.shape, move.frequencyHz, hz), 0);
  const match = plan.matchEq;
  const matched = (gainsDb: readonly number[] | undefined): GainCurve => {
    if (!match || !gainsDb) return () => 0;
    return (hz) => {
      const db = interpolateLogFrequency(match.frequenciesHz, gainsDb, hz);
      return hz < NO_BOOST_BELOW_HZ ? Math.min(0, db) : db;
    };
  };
  const matchMid = matched(match?.midGainDb);
  const matchSide = matched(match?.sideGainDb);
  const widthDb = plan.width?.sideGainDb ?? 0;
  const crossoverHz = plan.monoBass?.crossoverHz;
  const monoBass: GainCurve = crossoverHz ? (hz) => linkwitzRileyHighPassDb(hz, crossoverHz) : () => 0;
  return {
    mid: (hz) => auto(hz) + matchMid(hz),
    side: (hz) => Math.max(FLOOR_DB, auto(hz) + matchSide(hz) + widthDb + monoBass(hz)),
  };
}

/** Magnitude of a 4th-order Linkwitz–Riley high-pass, `(f/fc)⁴ / (1 + (f/fc)⁴)`, in dB. */
function linkwitzRileyHighPassDb(frequencyHz: number, crossoverHz: number): number {
  const ratio4 = (frequencyHz / crossoverHz) ** 4;
  return ratio4 === 0 ? FLOOR_DB : 20 * Math.log10(ratio4 / (1 + ratio4));
}
