import { LacquerError } from '@lacquer/errors';
import type { Analysis } from './analysis.ts';
import { decideEq } from './decide-eq.ts';
import type { DeliveryTarget } from './delivery-target.ts';
import type { CompressorStage, HighPassStage, MasteringPlan, WidthStage } from './mastering-plan.ts';
import { BALANCED_CURVE, type TonalCurve } from './tonal-curve.ts';
import { round1, signed } from './wording.ts';

/** Options of {@link decide}. */
export interface DecideOptions {
  /** How strongly to correct, 0 … 100 % (default 50). */
  readonly intensityPercent?: number;
  /** The tonal balance to aim for (default {@link BALANCED_CURVE}). */
  readonly tonalCurve?: TonalCurve;
}

/** Limiting beyond this much peak reduction starts to be heard as distortion; compress first (dB). */
const COMFORTABLE_LIMITING_DB = 4;
/** Most glue compression the plan asks for on loud passages (dB of gain reduction). */
const MAX_GLUE_COMPRESSION_DB = 4;
/** One BS.1770 gating block: less cannot be measured, so cannot be mastered to a target (s). */
const MIN_DURATION_SECONDS = 0.4;
/** DC offset worth naming in the reason (linear, about −60 dBFS). */
const NOTABLE_DC_OFFSET_LINEAR = 0.001;

/**
 * Decides how to master a mix: explainable rules from its analysis and the delivery target.
 * Every stage carries a reason with the measured values that led to it.
 *
 * - High-pass: 2nd-order Butterworth at 20 Hz, always (DC and inaudible rumble only eat
 *   headroom).
 * - EQ: see {@link decideEq}.
 * - Compression: only when the limiter alone would have to shave more than 4 dB off the peaks
 *   to reach the target; then a 2:1 glue compressor takes part of that load.
 * - Width: narrowed only for out-of-phase stereo (correlation under 0).
 * - Gain and limiter: gain to the target, a true-peak limiter at the target's ceiling; the
 *   render refines the gain until the measured loudness is within 0.1 LU.
 *
 * @throws LacquerError `ENGINE_INPUT_TOO_SHORT` under 400 ms, `ENGINE_SILENT_INPUT` for silence.
 */
export function decide(
  analysis: Analysis,
  target: DeliveryTarget,
  options: DecideOptions = {},
): MasteringPlan {
  assertMasterable(analysis);
  const intensityPercent = Math.max(0, Math.min(100, options.intensityPercent ?? 50));
  const curve = options.tonalCurve ?? BALANCED_CURVE;
  const eq = decideEq(analysis.spectrum, analysis.integratedLufs, curve, intensityPercent);
  const compressor = decideCompressor(analysis, target, intensityPercent);
  const width = decideWidth(analysis);
  const gainDb = round1(target.integratedLufs - analysis.integratedLufs);
  const notes = [...eq.notes];
  if (!compressor.stage) notes.push(compressor.note);
  if (!width.stage) notes.push(width.note);
  return {
    target,
    intensityPercent,
    tonalCurve: curve.name,
    highPass: decideHighPass(analysis),
    eq: eq.bands,
    compressor: compressor.stage,
    width: width.stage,
    gain: {
      gainDb,
      reason: `integrated loudness ${analysis.integratedLufs.toFixed(1)} LUFS, target ${target.integratedLufs} LUFS → ${signed(gainDb)} dB into the limiter (fine-tuned on the rendered result to within 0.1 LU)`,
    },
    limiter: {
      ceilingDbtp: target.truePeakCeilingDbtp,
      lookaheadMs: 5,
      releaseMs: 100,
      reason: `true peak must stay at or under ${target.truePeakCeilingDbtp} dBTP for ${target.name === 'custom' ? 'this target' : target.name}; the input peaks at ${analysis.truePeakDbtp.toFixed(1)} dBTP`,
    },
    notes,
  };
}

function assertMasterable(analysis: Analysis): void {
  const details = { durationSeconds: analysis.durationSeconds };
  if (analysis.durationSeconds < MIN_DURATION_SECONDS) {
    throw new LacquerError(
      'ENGINE_INPUT_TOO_SHORT',
      `the mix lasts ${analysis.durationSeconds.toFixed(3)} s, under one 400 ms loudness block`,
      { details },
    );
  }
  if (!Number.isFinite(analysis.integratedLufs)) {
    throw new LacquerError(
      'ENGINE_SILENT_INPUT',
      'the mix is silent (below the −70 LUFS gate): there is nothing to master',
      { details },
    );
  }
}

function decideHighPass(analysis: Analysis): HighPassStage {
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

function decideCompressor(
  analysis: Analysis,
  target: DeliveryTarget,
  intensityPercent: number,
): { stage: CompressorStage | null; note: string } {
  const peakAfterGainDbtp = analysis.truePeakDbtp + target.integratedLufs - analysis.integratedLufs;
  const limitingDb = peakAfterGainDbtp - target.truePeakCeilingDbtp;
  if (limitingDb <= COMFORTABLE_LIMITING_DB) {
    return {
      stage: null,
      note: `no compression: from the mix's true peak, reaching ${target.integratedLufs} LUFS should take about ${Math.max(0, limitingDb).toFixed(1)} dB of peak limiting (PLR ${analysis.plrDb.toFixed(1)} dB); the limiter handles that alone`,
    };
  }
  const ratio = 2;
  const gainReductionDb = Math.min(
    MAX_GLUE_COMPRESSION_DB,
    (limitingDb - COMFORTABLE_LIMITING_DB) * (0.5 + intensityPercent / 200),
  );
  // Loud passages sit near the short-term maximum; set the threshold so they get the
  // planned reduction: GR = (level − threshold)·(1 − 1/ratio).
  const loudLevelDb = analysis.rmsDbfs + (analysis.shortTermMaxLufs - analysis.integratedLufs);
  const thresholdDb = round1(Math.max(-60, loudLevelDb - gainReductionDb / (1 - 1 / ratio)));
  return {
    stage: {
      thresholdDb,
      ratio,
      kneeDb: 6,
      attackMs: 30,
      releaseMs: 250,
      reason: `reaching ${target.integratedLufs} LUFS would need ${limitingDb.toFixed(1)} dB of peak limiting (PLR ${analysis.plrDb.toFixed(1)} dB); 2:1 glue compression takes about ${gainReductionDb.toFixed(1)} dB of that on loud passages so the limiter works less`,
    },
    note: '',
  };
}

function decideWidth(analysis: Analysis): { stage: WidthStage | null; note: string } {
  if (analysis.channelCount !== 2) return { stage: null, note: 'mono: no width processing' };
  const { correlation, sideToMidDb } = analysis.stereo;
  if (correlation < 0) {
    return {
      stage: {
        sideGainDb: -3,
        reason: `left and right are partly out of phase (correlation ${correlation.toFixed(2)}): side −3 dB so the mix survives mono playback`,
      },
      note: '',
    };
  }
  return {
    stage: null,
    note: `stereo image kept as it is (correlation ${correlation.toFixed(2)}, side ${Math.abs(sideToMidDb).toFixed(1)} dB ${sideToMidDb <= 0 ? 'below' : 'above'} mid)`,
  };
}
