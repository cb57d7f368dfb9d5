import { LacquerError } from '@lacquer/errors';
import type { Analysis } from './analysis.ts';
import { decideGlueCompressor, limiterStage, limitingAtTargetDb } from './decide-dynamics.ts';
import { decideMatchEq, decideMatchWidth } from './decide-match.ts';
import { decideMonoBass, decideWidth } from './decide-stereo.ts';
import { decideTonalEq } from './decide-tonal-eq.ts';
import type { DeliveryTarget } from './delivery-target.ts';
import type { GainStage, HighPassStage, MasteringPlan } from './mastering-plan.ts';
import { checkedPercent, type MatchAmounts, resolveAmounts } from './match-amounts.ts';
import { tonalCurveOf } from './tonal-curve.ts';
import { round1, signed } from './wording.ts';

/** Options of {@link decide}. */
export interface DecideOptions {
  /** Auto mode: how strongly to correct, 0 … 100 % (default {@link DEFAULT_INTENSITY_PERCENT}). */
  readonly intensityPercent?: number;
  /** Auto mode: the tonal curve to aim for, `balanced` (default), `warm` or `bright`. */
  readonly style?: string;
  /** The analysis of a reference track: reference mode. */
  readonly reference?: Analysis | null;
  /** Reference mode: how much of each dimension to match (default 100 % each). */
  readonly amounts?: Partial<MatchAmounts>;
}

export const DEFAULT_INTENSITY_PERCENT = 100;
/** One BS.1770 gating block: less cannot be measured, so cannot be mastered to a target (s). */
const MIN_DURATION_SECONDS = 0.4;
/** DC offset worth naming in the reason (linear, about −60 dBFS). */
const NOTABLE_DC_OFFSET_LINEAR = 0.001;

/**
 * Decides how to master a mix: explainable rules from its analysis and the delivery target.
 * Every stage carries a reason with the measured values that led to it.
 *
 * Auto mode (no reference): a 20 Hz high-pass; tonal EQ against the style's curve
 * ({@link decideTonalEq}); width and mono bass against the corpus masters
 * ({@link decideWidth}, {@link decideMonoBass}); glue compression sized from PLR, crest
 * factor and LRA ({@link decideGlueCompressor}).
 *
 * Reference mode: a linear-phase mid/side match EQ, the width and the density (PLR) of the
 * reference, each by its amount ({@link MatchAmounts}); no other move, so 0 % on every
 * amount gives the input back at the target loudness. The reference's loudness is never
 * copied: the delivery target and its ceiling always win.
 *
 * Both: gain to the target, a true-peak limiter at the ceiling; the render refines the gain
 * until the measured loudness is within 0.1 LU.
 *
 * @throws LacquerError `ENGINE_INPUT_TOO_SHORT` under 400 ms, `ENGINE_SILENT_INPUT` for silence
 *   (or a DC offset alone)
 *   (of the mix or the reference), `ENGINE_INVALID_OPTION` for an unknown style or a
 *   percentage outside 0 … 100.
 */
export function decide(
  analysis: Analysis,
  target: DeliveryTarget,
  options: DecideOptions = {},
): MasteringPlan {
  assertMasterable(analysis, 'mix');
  const intensityPercent = checkedPercent(
    'intensityPercent',
    options.intensityPercent ?? DEFAULT_INTENSITY_PERCENT,
  );
  const gain = gainStage(analysis, target);
  if (options.reference) {
    assertMasterable(options.reference, 'reference');
    return decideWithReference(analysis, options.reference, target, {
      intensityPercent,
      amounts: resolveAmounts(options.amounts),
      gain,
    });
  }
  const curve = tonalCurveOf(options.style ?? 'balanced');
  const eq = decideTonalEq(analysis.tonalBalanceDb, curve, intensityPercent);
  const width = decideWidth(analysis, intensityPercent);
  const monoBass = decideMonoBass(analysis);
  const compressor = decideGlueCompressor(
    analysis,
    limitingAtTargetDb(analysis, target),
    intensityPercent,
    `reaching ${target.integratedLufs} LUFS`,
  );
  return {
    mode: 'auto',
    target,
    intensityPercent,
    tonalCurve: curve.name,
    amounts: null,
    highPass: highPassStage(analysis),
    eq: eq.moves,
    matchEq: null,
    width: width.stage,
    monoBass: monoBass.stage,
    compressor: compressor.stage,
    gain,
    limiter: limiterStage(analysis, target),
    notes: [...eq.notes, width.note, monoBass.note, compressor.note].filter(Boolean),
  };
}

function decideWithReference(
  analysis: Analysis,
  reference: Analysis,
  target: DeliveryTarget,
  settings: { intensityPercent: number; amounts: MatchAmounts; gain: GainStage },
): MasteringPlan {
  const { amounts } = settings;
  const width = decideMatchWidth(analysis, reference, amounts);
  const density = decideDensity(analysis, reference, target, amounts);
  const notes = [width.note, density.note];
  if (reference.integratedLufs > target.integratedLufs + 1) {
    notes.push(
      `the reference plays at ${reference.integratedLufs.toFixed(1)} LUFS, louder than the ${target.integratedLufs} LUFS target: its balance, width and density are matched, not its loudness`,
    );
  }
  return {
    mode: 'reference',
    target,
    intensityPercent: settings.intensityPercent,
    tonalCurve: 'reference',
    amounts,
    highPass: null,
    eq: [],
    matchEq: decideMatchEq(analysis, reference, amounts),
    width: width.stage,
    monoBass: null,
    compressor: density.compressor,
    gain: settings.gain,
    limiter: density.limiter,
    notes: notes.filter(Boolean),
  };
}

/**
 * Density matching: the peak-to-loudness ratio moves from the mix's towards the reference's by
 * the density amount, held by the limiter (and glue compression when that is more than the
 * limiter should take alone). A reference more dynamic than the mix is not copied: Lacquer
 * does not expand.
 */
function decideDensity(
  analysis: Analysis,
  reference: Analysis,
  target: DeliveryTarget,
  amounts: MatchAmounts,
): Pick<MasteringPlan, 'compressor' | 'limiter'> & { note: string } {
  const limitingDb = limitingAtTargetDb(analysis, target);
  const plrs = `PLR ${analysis.plrDb.toFixed(1)} dB in the mix, ${reference.plrDb.toFixed(1)} dB in the reference`;
  if (amounts.densityPercent === 0 || reference.plrDb >= analysis.plrDb) {
    return {
      compressor: null,
      limiter: limiterStage(analysis, target),
      note:
        amounts.densityPercent === 0
          ? `density kept (amount 0 %): ${plrs}`
          : `density kept: ${plrs}; the reference is as open as the mix or more, and Lacquer does not expand`,
    };
  }
  const share = amounts.densityPercent / 100;
  const peakToLoudnessDb = analysis.plrDb - share * (analysis.plrDb - reference.plrDb);
  const why = `density ${amounts.densityPercent} % of the way to the reference (${plrs})`;
  const compressor = decideGlueCompressor(
    analysis,
    Math.max(limitingDb, analysis.plrDb - peakToLoudnessDb),
    amounts.densityPercent,
    why,
  );
  return {
    compressor: compressor.stage,
    limiter: limiterStage(analysis, target, peakToLoudnessDb, why),
    note: compressor.note,
  };
}

function gainStage(analysis: Analysis, target: DeliveryTarget): GainStage {
  const gainDb = round1(target.integratedLufs - analysis.integratedLufs);
  return {
    gainDb,
    reason: `integrated loudness ${analysis.integratedLufs.toFixed(1)} LUFS, target ${target.integratedLufs} LUFS → ${signed(gainDb)} dB into the limiter (fine-tuned on the rendered result to within 0.1 LU)`,
  };
}

function assertMasterable(analysis: Analysis, what: 'mix' | 'reference'): void {
  const details = { durationSeconds: analysis.durationSeconds, track: what };
  if (analysis.durationSeconds < MIN_DURATION_SECONDS) {
    throw new LacquerError(
      'ENGINE_INPUT_TOO_SHORT',
      `the ${what} lasts ${analysis.durationSeconds.toFixed(3)} s, under one 400 ms loudness block`,
      { details },
    );
  }
  if (!Number.isFinite(analysis.integratedLufs)) {
    throw new LacquerError(
      'ENGINE_SILENT_INPUT',
      `the ${what} is silent (below the −70 LUFS gate): there is nothing to ${what === 'mix' ? 'master' : 'match'}`,
      { details },
    );
  }
  // A constant offset passes the gate on the step at its start, then the high-pass takes all
  // of it: judge silence on what is left without the DC.
  if (acLevelDbfs(analysis) < SILENT_WITHOUT_DC_DBFS) {
    throw new LacquerError(
      'ENGINE_SILENT_INPUT',
      `the ${what} holds only a DC offset (nothing above ${SILENT_WITHOUT_DC_DBFS} dBFS without it): there is nothing to ${what === 'mix' ? 'master' : 'match'}`,
      { details: { ...details, dcOffsetLinear: analysis.dcOffsetLinear } },
    );
  }
}

/** Below this RMS without the DC offset, dBFS, a programme is silence (as BS.1770's −70 LUFS gate). */
const SILENT_WITHOUT_DC_DBFS = -70;

/** RMS of all channels with each channel's DC offset removed, dBFS (mean square − DC²). */
function acLevelDbfs(analysis: Analysis): number {
  const meanSquare = 10 ** (analysis.rmsDbfs / 10);
  const dcSquare =
    analysis.dcOffsetLinear.reduce((sum, dc) => sum + dc * dc, 0) /
    Math.max(1, analysis.dcOffsetLinear.length);
  return 10 * Math.log10(Math.max(0, meanSquare - dcSquare));
}

function highPassStage(analysis: Analysis): HighPassStage {
  const worstDc = Math.max(...analysis.dcOffsetLinear.map(Math.abs));
  const dc =
    worstDc >= NOTABLE_DC_OFFSET_LINEAR
      ? `, and removes the DC offset of ${worstDc.toFixed(4)} (full scale)`
      : '';
  return {
    frequencyHz: 20,
    order: 2,
    reason: `a gentle 20 Hz high-pass keeps inaudible rumble from using up headroom${dc}`,
  };
}
