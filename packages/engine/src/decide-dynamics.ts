import type { Analysis } from './analysis.ts';
import { MASTERING_NORMS } from './corpus-measurements.ts';
import type { DeliveryTarget } from './delivery-target.ts';
import type { CompressorStage, LimiterStage } from './mastering-plan.ts';
import { round1 } from './wording.ts';

/** Limiting beyond this much peak reduction starts to be heard as distortion; compress first (dB). */
const COMFORTABLE_LIMITING_DB = 4;
/** Most glue compression a plan asks for on loud passages (dB of gain reduction). */
const MAX_GLUE_COMPRESSION_DB = 6;
/** Loudness ranges above this are macro-dynamics worth keeping: gentler, slower glue (LU). */
const WIDE_LOUDNESS_RANGE_LU = 12;

/**
 * Glue compression sized from the mix's dynamics. Peak-to-loudness ratio (PLR) says how much
 * the limiter would have to shave to reach the target; compression takes part of it when that
 * is over 4 dB: `(limiting − 4 dB) · (0.5 + intensity/200)`, at most 6 dB. Loudness range
 * (LRA) sets the character: over 12 LU, 1.5:1 with a 400 ms release keeps the song's
 * quiet-to-loud arc; else 2:1, 250 ms. A crest factor above the corpus masters' (mean + 1 sd)
 * means sharp transients: a 30 ms attack lets them through to the limiter, else 10 ms.
 *
 * @param limitingDb how far the peaks would go over where they may go, at the target loudness.
 */
export function decideGlueCompressor(
  analysis: Analysis,
  limitingDb: number,
  intensityPercent: number,
  why: string,
): { stage: CompressorStage | null; note: string } {
  const crestDb = analysis.crestFactorDb ?? 0;
  const plr = `PLR ${analysis.plrDb.toFixed(1)} dB, crest factor ${crestDb.toFixed(1)} dB, LRA ${analysis.loudnessRangeLu.toFixed(1)} LU`;
  if (limitingDb <= COMFORTABLE_LIMITING_DB || intensityPercent === 0) {
    return {
      stage: null,
      note: `no compression: ${why} takes about ${Math.max(0, limitingDb).toFixed(1)} dB of peak limiting (${plr}); the limiter handles that alone`,
    };
  }
  const gainReductionDb = Math.min(
    MAX_GLUE_COMPRESSION_DB,
    (limitingDb - COMFORTABLE_LIMITING_DB) * (0.5 + intensityPercent / 200),
  );
  const wide = analysis.loudnessRangeLu > WIDE_LOUDNESS_RANGE_LU;
  const ratio = wide ? 1.5 : 2;
  const { crestFactorDb } = MASTERING_NORMS;
  const sharp = crestDb > crestFactorDb.mean + crestFactorDb.sd;
  // Loud passages sit near the short-term maximum; set the threshold so they get the
  // planned reduction: GR = (level − threshold)·(1 − 1/ratio).
  const loudLevelDb = analysis.rmsDbfs + (analysis.shortTermMaxLufs - analysis.integratedLufs);
  const thresholdDb = round1(Math.max(-60, loudLevelDb - gainReductionDb / (1 - 1 / ratio)));
  return {
    stage: {
      thresholdDb,
      ratio,
      kneeDb: 6,
      attackMs: sharp ? 30 : 10,
      releaseMs: wide ? 400 : 250,
      reason: `${why} would take ${limitingDb.toFixed(1)} dB of peak limiting (${plr}): ${ratio}:1 glue compression takes about ${gainReductionDb.toFixed(1)} dB of that on loud passages${wide ? ', gently and slowly to keep the wide loudness range' : ''}${sharp ? `; a 30 ms attack lets the sharp transients (crest over the corpus's ${(crestFactorDb.mean + crestFactorDb.sd).toFixed(1)} dB) through to the limiter` : ''}`,
    },
    note: '',
  };
}

/** How far the mix's peaks would go over the ceiling at the target loudness, before any limiting (dB). */
export function limitingAtTargetDb(analysis: Analysis, target: DeliveryTarget): number {
  return analysis.truePeakDbtp + target.integratedLufs - analysis.integratedLufs - target.truePeakCeilingDbtp;
}

/** The true-peak limiter at the target's ceiling, optionally holding a density (see {@link LimiterStage}). */
export function limiterStage(
  analysis: Analysis,
  target: DeliveryTarget,
  peakToLoudnessDb: number | null = null,
  density = '',
): LimiterStage {
  const holdsDensity =
    peakToLoudnessDb !== null && target.integratedLufs + peakToLoudnessDb < target.truePeakCeilingDbtp;
  return {
    ceilingDbtp: target.truePeakCeilingDbtp,
    lookaheadMs: 5,
    releaseMs: 100,
    peakToLoudnessDb: holdsDensity ? round1(peakToLoudnessDb) : null,
    reason: `true peak must stay at or under ${target.truePeakCeilingDbtp} dBTP for ${target.name === 'custom' ? 'this target' : target.name}; the input peaks at ${analysis.truePeakDbtp.toFixed(1)} dBTP${holdsDensity ? `; ${density}: peaks held at ${(target.integratedLufs + peakToLoudnessDb).toFixed(1)} dBTP` : ''}`,
  };
}
