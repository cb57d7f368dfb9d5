import type { Analysis } from './analysis.ts';
import { MASTERING_NORMS } from './corpus-measurements.ts';
import type { MonoBassStage, WidthStage } from './mastering-plan.ts';
import { sideToMidDb } from './spectral-features.ts';
import { round1, signed } from './wording.ts';

/** Largest width change auto mode makes (dB of side level). */
const MAX_WIDTH_CHANGE_DB = 3;
/**
 * Below this, bass plays in mono: wavelengths over 3 m that rooms and club systems sum anyway,
 * and that a vinyl cutter cannot take out of phase (Hz).
 */
export const MONO_BASS_CROSSOVER_HZ = 100;

/**
 * Auto mode's width: correlation under 0 (partly out of phase) narrows by 3 dB; otherwise a
 * side-to-mid level more than one standard deviation from the corpus masters' moves towards
 * their mean by `intensity` of the distance, within ±3 dB.
 */
export function decideWidth(
  analysis: Analysis,
  intensityPercent: number,
): { stage: WidthStage | null; note: string } {
  if (analysis.channelCount !== 2) return { stage: null, note: 'mono: no width processing' };
  const { correlation, sideToMidDb: mixSideToMidDb } = analysis.stereo;
  if (correlation < 0) {
    return {
      stage: {
        sideGainDb: -3,
        reason: `left and right are partly out of phase (correlation ${correlation.toFixed(2)}): side −3 dB so the mix survives mono playback`,
      },
      note: '',
    };
  }
  const norm = MASTERING_NORMS.sideToMidDb;
  const offDb = mixSideToMidDb - norm.mean;
  const image = `side ${mixSideToMidDb.toFixed(1)} dB against mid (corpus masters ${norm.mean.toFixed(1)} ± ${norm.sd.toFixed(1)} dB), correlation ${correlation.toFixed(2)}`;
  const sideGainDb = round1(
    Math.max(-MAX_WIDTH_CHANGE_DB, Math.min(MAX_WIDTH_CHANGE_DB, (-offDb * intensityPercent) / 100)),
  );
  if (Math.abs(offDb) <= norm.sd || sideGainDb === 0) {
    return { stage: null, note: `stereo image kept as it is: ${image}` };
  }
  return {
    stage: {
      sideGainDb,
      reason: `${offDb < 0 ? 'narrower' : 'wider'} than the corpus masters: ${image} → side ${signed(sideGainDb)} dB`,
    },
    note: '',
  };
}

/**
 * Low-end control: mono below {@link MONO_BASS_CROSSOVER_HZ} when the side carries more bass,
 * relative to the mid, than the corpus masters do (mean + 2 sd): out-of-phase bass wastes
 * headroom and cancels on mono systems.
 */
export function decideMonoBass(analysis: Analysis): { stage: MonoBassStage | null; note: string } {
  if (analysis.channelCount !== 2) return { stage: null, note: '' };
  const measuredDb = sideToMidDb(analysis.midSide, MONO_BASS_CROSSOVER_HZ);
  const norm = MASTERING_NORMS.lowSideToMidDb;
  const limitDb = norm.mean + 2 * norm.sd;
  const measured = `side ${measuredDb.toFixed(1)} dB against mid below ${MONO_BASS_CROSSOVER_HZ} Hz (corpus masters ${norm.mean.toFixed(1)} ± ${norm.sd.toFixed(1)} dB)`;
  if (!(measuredDb > limitDb)) return { stage: null, note: `low end kept in stereo: ${measured}` };
  return {
    stage: {
      crossoverHz: MONO_BASS_CROSSOVER_HZ,
      evidence: { sideToMidBelowCrossoverDb: round1(measuredDb) },
      reason: `${measured} → mono below ${MONO_BASS_CROSSOVER_HZ} Hz (linear-phase crossover), so the bass holds up in mono and stops wasting headroom`,
    },
    note: '',
  };
}
