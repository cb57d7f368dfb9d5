import {
  applyFirInPlace,
  applyMidSideFirInPlace,
  createBiquadCascade,
  createCompressor,
  dbToLinear,
  defaultFirLengthSamples,
  designButterworthHighPass,
  designLinearPhaseFir,
  type HopEnergies,
  type PlanarAudio,
} from '@lacquer/dsp';
import { eqCurves, type GainCurve } from './eq-curves.ts';
import { fitGainAndLimit } from './loudness-fit.ts';
import type { LimiterStage, MasteringPlan, WidthStage } from './mastering-plan.ts';
import { type DspPool, INLINE_POOL } from './workers/dsp-pool.ts';

/** What {@link render} did, for report.json. */
export interface RenderReport {
  readonly gainDb: number;
  readonly limiterMaxGainReductionDb: number;
  readonly limiterMarginDb: number;
  readonly compressorMaxGainReductionDb: number | null;
  readonly rounds: number;
  readonly predictions: number;
  readonly stageSeconds: Readonly<Record<string, number>>;
}

/** The master and what the fit measured on it. */
export interface RenderResult {
  readonly master: PlanarAudio;
  /** K-weighted hop energies of the master (its loudness figures, exact). */
  readonly hops: HopEnergies;
  /** Continuous true peak of the master, dBTP (at or under the ceiling). */
  readonly continuousTruePeakDbtp: number;
  readonly report: RenderReport;
}

/**
 * Renders a plan: high-pass → linear-phase mid/side EQ (auto moves, reference match, width,
 * mono bass) → compressor → gain → true-peak limiter, then measures the result and corrects
 * gain and limiting until the integrated loudness is within 0.1 LU of the target and the true
 * peak at or under the ceiling, or under the density the plan holds (see `fitGainAndLimit`).
 *
 * `audio` is processed in place, and the master is `audio` itself (pass a copy to keep the
 * original). No dither here: that belongs to the 16-bit encoder.
 */
export async function render(
  audio: PlanarAudio,
  plan: MasteringPlan,
  pool: DspPool = INLINE_POOL,
): Promise<RenderResult> {
  const stageSeconds: Record<string, number> = {};
  const timed = <T>(stage: string, work: () => T): T => {
    const start = performance.now();
    const result = work();
    stageSeconds[stage] = (performance.now() - start) / 1000;
    return result;
  };
  const { sampleRateHz, channels } = audio;
  const channelCount = channels.length;

  if (plan.highPass) {
    const { frequencyHz, order } = plan.highPass;
    timed('highPass', () => {
      const sections = designButterworthHighPass({ sampleRateHz, frequencyHz, order });
      createBiquadCascade({ sections, channelCount, sampleRateHz }).process(channels, channels);
    });
  }

  const curves = eqCurves(plan);
  if (curves) {
    timed('linearPhaseEq', () => applyLinearPhaseEq(audio, curves));
  } else if (plan.width && channelCount === 2) {
    const width = plan.width;
    timed('width', () => applyWidth(channels[0]!, channels[1]!, width));
  }

  let compressorMaxGainReductionDb: number | null = null;
  if (plan.compressor) {
    const stage = plan.compressor;
    compressorMaxGainReductionDb = timed('compressor', () => {
      const compressor = createCompressor({ ...stage, sampleRateHz, channelCount, makeupGainDb: 0 });
      compressor.process(channels, channels);
      return compressor.maxGainReductionDb;
    });
  }

  const fitStart = performance.now();
  const fit = await fitGainAndLimit(audio, plan.target.integratedLufs, limiterCeiling(plan), pool);
  stageSeconds.gainAndLimiter = (performance.now() - fitStart) / 1000;
  return {
    master: fit.output,
    hops: fit.hops,
    continuousTruePeakDbtp: fit.continuousTruePeakDbtp,
    report: {
      gainDb: fit.gainDb,
      limiterMaxGainReductionDb: fit.limiterMaxGainReductionDb,
      limiterMarginDb: fit.limiterMarginDb,
      compressorMaxGainReductionDb,
      rounds: fit.rounds,
      predictions: fit.predictions,
      stageSeconds,
    },
  };
}

/** The stage the fit runs: the limiter at the ceiling, or lower where the plan holds a density. */
export function limiterCeiling(plan: MasteringPlan): LimiterStage {
  const { limiter, target } = plan;
  if (limiter.peakToLoudnessDb === null) return limiter;
  const densityDbtp = target.integratedLufs + limiter.peakToLoudnessDb;
  return { ...limiter, ceilingDbtp: Math.min(limiter.ceilingDbtp, densityDbtp) };
}

/** One FIR pair designed from the curves, applied in place (mono: the mid curve). */
function applyLinearPhaseEq(audio: PlanarAudio, curves: { mid: GainCurve; side: GainCurve }): void {
  const { sampleRateHz, channels } = audio;
  const lengthSamples = defaultFirLengthSamples(sampleRateHz);
  const design = (gainDbAt: GainCurve) => designLinearPhaseFir({ sampleRateHz, lengthSamples, gainDbAt });
  const midTaps = design(curves.mid);
  if (channels.length === 1) {
    applyFirInPlace(channels[0]!, midTaps);
    return;
  }
  applyMidSideFirInPlace(channels[0]!, channels[1]!, midTaps, design(curves.side));
}

/** Mid/side in place: M = (L+R)/2, S = (L−R)/2 · sideGain, back to L = M+S, R = M−S. */
export function applyWidth(left: Float32Array, right: Float32Array, width: WidthStage): void {
  const sideGain = dbToLinear(width.sideGainDb);
  for (let n = 0; n < left.length; n++) {
    const mid = (left[n]! + right[n]!) * 0.5;
    const side = (left[n]! - right[n]!) * 0.5 * sideGain;
    left[n] = mid + side;
    right[n] = mid - side;
  }
}
