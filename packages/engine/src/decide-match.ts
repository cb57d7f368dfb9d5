import { interpolateLogFrequency } from '@lacquer/dsp';
import type { Analysis } from './analysis.ts';
import type { MatchEqStage, WidthStage } from './mastering-plan.ts';
import type { MatchAmounts } from './match-amounts.ts';
import { type MidSideSpectrum, sideToMidDb } from './spectral-features.ts';
import { formatHz, round1, round2, signed } from './wording.ts';

/** Largest boost or cut the match EQ makes at any frequency (dB): beyond, it would chase noise. */
const MAX_MATCH_GAIN_DB = 12;
/** Largest width change (dB of side level). */
const MAX_WIDTH_CHANGE_DB = 12;

/**
 * The reference match EQ: per point of the 1/24-octave grid, the reference's mid (side) level
 * minus the mix's, both taken relative to their integrated loudness, so only the balance is
 * matched, not the level; within ±12 dB. The side curve leaves out the broadband side change,
 * which is the width's (see {@link decideMatchWidth}). Both scale with the tone amount.
 * `null` when the tone amount is 0.
 */
export function decideMatchEq(
  analysis: Analysis,
  reference: Analysis,
  amounts: MatchAmounts,
): MatchEqStage | null {
  if (amounts.tonePercent === 0) return null;
  const share = amounts.tonePercent / 100;
  const mix = analysis.midSide;
  const onMixGrid = resampled(reference.midSide, mix.frequenciesHz);
  const offsetDb = reference.integratedLufs - analysis.integratedLufs;
  const widthDb = stereo(analysis) ? sideToMidDb(reference.midSide) - sideToMidDb(mix) : 0;
  const midDifferenceDb = mix.midDb.map((db, i) => clamp(onMixGrid.midDb[i]! - db - offsetDb));
  const sideDifferenceDb = mix.sideDb.map((db, i) => clamp(onMixGrid.sideDb[i]! - db - offsetDb - widthDb));
  const scaled = (values: number[]) => values.map((db) => round2(db * share));
  const largest = extremes(mix.frequenciesHz, midDifferenceDb);
  return {
    frequenciesHz: mix.frequenciesHz.map(round2),
    midGainDb: scaled(midDifferenceDb),
    sideGainDb: stereo(analysis) ? scaled(sideDifferenceDb) : mix.frequenciesHz.map(() => 0),
    evidence: largest,
    reason: `mid and side matched to the reference's long-term spectrum (its active sections, at equal loudness), ${amounts.tonePercent} % of the way: the mix needed up to ${signed(largest.largestBoostDb)} dB at ${formatHz(roundHz(largest.largestBoostHz))} and ${signed(largest.largestCutDb)} dB at ${formatHz(roundHz(largest.largestCutHz))} (linear phase)`,
  };
}

/** Reference mode's width: the side-to-mid level difference, scaled by the width amount. */
export function decideMatchWidth(
  analysis: Analysis,
  reference: Analysis,
  amounts: MatchAmounts,
): { stage: WidthStage | null; note: string } {
  if (!stereo(analysis)) return { stage: null, note: 'mono: no width matching' };
  const mixDb = sideToMidDb(analysis.midSide);
  const referenceDb = sideToMidDb(reference.midSide);
  const differenceDb = Math.max(-MAX_WIDTH_CHANGE_DB, Math.min(MAX_WIDTH_CHANGE_DB, referenceDb - mixDb));
  const sideGainDb = round2((differenceDb * amounts.widthPercent) / 100);
  const measured = `side ${mixDb.toFixed(1)} dB against mid in the mix, ${referenceDb.toFixed(1)} dB in the reference`;
  if (sideGainDb === 0)
    return { stage: null, note: `width kept: ${measured}, width amount ${amounts.widthPercent} %` };
  return {
    stage: {
      sideGainDb,
      reason: `${measured} → side ${signed(sideGainDb)} dB (${amounts.widthPercent} % of the way)`,
    },
    note: '',
  };
}

function stereo(analysis: Analysis): boolean {
  return analysis.channelCount === 2;
}

/** `spectrum` on another grid (references at another rate end at another frequency). */
function resampled(spectrum: MidSideSpectrum, frequenciesHz: readonly number[]): MidSideSpectrum {
  const at = (levels: readonly number[]) =>
    frequenciesHz.map((hz) => interpolateLogFrequency(spectrum.frequenciesHz, levels, hz));
  return { frequenciesHz, midDb: at(spectrum.midDb), sideDb: at(spectrum.sideDb) };
}

function extremes(frequenciesHz: readonly number[], gainsDb: readonly number[]): MatchEqStage['evidence'] {
  let boost = 0;
  let cut = 0;
  gainsDb.forEach((db, i) => {
    if (db > gainsDb[boost]!) boost = i;
    if (db < gainsDb[cut]!) cut = i;
  });
  return {
    largestBoostDb: round1(gainsDb[boost]!),
    largestBoostHz: round1(frequenciesHz[boost]!),
    largestCutDb: round1(gainsDb[cut]!),
    largestCutHz: round1(frequenciesHz[cut]!),
  };
}

function clamp(db: number): number {
  return Math.max(-MAX_MATCH_GAIN_DB, Math.min(MAX_MATCH_GAIN_DB, db));
}

/** Two significant figures, for naming a frequency. */
function roundHz(hz: number): number {
  const scale = 10 ** (Math.floor(Math.log10(hz)) - 1);
  return Math.round(hz / scale) * scale;
}
