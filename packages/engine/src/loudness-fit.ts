import {
  createLoudnessAnalyzer,
  createPeakMeter,
  createTruePeakInterpolator,
  dbToLinear,
  gatedIntegratedLoudness,
  type LoudnessMeasures,
  limiterGainCurve,
  linearToDb,
  type PlanarAudio,
  slidingLoudness,
  truePeakEnvelope,
  truePeakOversamplingFactor,
} from '@lacquer/dsp';
import { LacquerError } from '@lacquer/errors';
import type { LimiterStage } from './mastering-plan.ts';
import { type DspPool, INLINE_POOL } from './workers/dsp-pool.ts';

/** The render's promise: measured integrated loudness within this of the target (LU). */
export const LOUDNESS_TOLERANCE_LU = 0.1;
/** What the fit aims for, inside the promise, so that other meters agree too (LU). */
const FIT_TOLERANCE_LU = 0.03;
/** Prediction accuracy at which the gain search stops (LU). */
const SEARCH_TOLERANCE_LU = 0.005;
/** Headroom kept under the ceiling for gain changes inside the interpolator's span (dB). */
const INITIAL_MARGIN_DB = 0.05;
/**
 * How far under the programme's sample peak the peak envelope is exact (dB): the limiter's
 * threshold must lie above the envelope's floor; limiting deeper than this is refreshed.
 */
const ENVELOPE_RANGE_DB = 18;
const MAX_SEARCH_STEPS = 12;
const MAX_ROUNDS = 5;

/** What {@link fitGainAndLimit} did. */
export interface LoudnessFit {
  /** The limited programme: `input` itself, overwritten. */
  readonly output: PlanarAudio;
  /** Measures of the output, exact (not predicted). */
  readonly measures: LoudnessMeasures;
  /** Final gain into the limiter, dB. */
  readonly gainDb: number;
  /** Largest limiter gain reduction, dB. */
  readonly limiterMaxGainReductionDb: number;
  /** Safety margin under the ceiling the limiter ended with, dB. */
  readonly limiterMarginDb: number;
  /** Render-and-measure rounds (1 when the first prediction was right). */
  readonly rounds: number;
  /** Candidate gains judged by prediction, over all rounds. */
  readonly predictions: number;
}

/**
 * Applies gain and a true-peak limiter and corrects both until the output's measured
 * integrated loudness is within {@link LOUDNESS_TOLERANCE_LU} of the target and its measured
 * true peak is at or under the ceiling: the continuous true peak (between the oversampling
 * grid points too, `createPeakMeter` with `continuous`), so that finer meters agree.
 *
 * The oversampled peak envelope and the K-weighted power of the input are computed once. A
 * candidate gain is then judged by predicting the output loudness as Σ g²·limiterGain²·power
 * per 10 ms hop (exact but for the gain's modulation of the K-filter's memory), which costs
 * one pass of {@link limiterGainCurve}. A secant search finds the gain whose prediction hits
 * the target; the output is then rendered and measured exactly, and the prediction's
 * residual error and any true-peak overshoot feed the next round.
 *
 * Memory: the input (overwritten with the result) plus three float32 values per frame.
 *
 * @throws LacquerError `ENGINE_TARGET_NOT_MET` if the rounds run out (a defect to report).
 */
export async function fitGainAndLimit(
  input: PlanarAudio,
  targetLufs: number,
  limiter: LimiterStage,
  pool: DspPool = INLINE_POOL,
): Promise<LoudnessFit> {
  const { sampleRateHz, channels } = input;
  const length = channels[0]?.length ?? 0;
  const ceilingLinear = dbToLinear(limiter.ceilingDbtp);
  const interpolator = createTruePeakInterpolator(truePeakOversamplingFactor(sampleRateHz));
  // The K-weighted power is computed in the pool while this thread builds the peak envelope.
  const powerPending = pool.weightedPower(input);
  const hopLengthSamples = Math.round(sampleRateHz / 100);
  const hopCount = Math.floor(length / hopLengthSamples);
  const energies = new Float64Array(hopCount);
  const limiterGain = new Float32Array(length).fill(1);
  let power: Float32Array = new Float32Array(0);
  const loudnessOf = (gainDb: number): number => {
    const gainSquared = dbToLinear(2 * gainDb);
    for (let h = 0; h < hopCount; h++) {
      let sum = 0;
      for (let n = h * hopLengthSamples, end = n + hopLengthSamples; n < end; n++) {
        const g = limiterGain[n]!;
        sum += g * g * power[n]!;
      }
      energies[h] = sum * gainSquared;
    }
    return gatedIntegratedLoudness(slidingLoudness({ sampleRateHz, hopLengthSamples, energies }, 40, 10));
  };
  // Without limiting, loudness scales exactly with gain: the peak levels are known before the
  // gain is, so the envelope is made exact from the highest sample peak down by a generous
  // range, then refreshed if the search goes beyond it.
  let envelopeFloorLinear = samplePeak(channels) * dbToLinear(-ENVELOPE_RANGE_DB);
  // Continuous peaks (between the oversampling grid points too): finer meters such as ffmpeg's
  // ebur128 (192 kHz) find values there that the BS.1770-4 grid misses by up to 0.4 dB.
  let envelope = truePeakEnvelope(channels, interpolator, envelopeFloorLinear, { continuous: true });
  power = await powerPending;
  const unlimitedGainDb = targetLufs - loudnessOf(0);

  let marginDb = INITIAL_MARGIN_DB;
  let maxGainReductionDb = 0;
  let predictions = 0;
  const predict = (gainDb: number): number => {
    predictions++;
    const thresholdLinear = ceilingLinear / dbToLinear(gainDb + marginDb);
    if (thresholdLinear < envelopeFloorLinear) {
      envelopeFloorLinear = thresholdLinear * dbToLinear(-ENVELOPE_RANGE_DB);
      envelope = truePeakEnvelope(channels, interpolator, envelopeFloorLinear, { continuous: true });
    }
    maxGainReductionDb = limiterGainCurve(envelope, limiterGain, {
      sampleRateHz,
      inputGainLinear: dbToLinear(gainDb),
      ceilingLinear: ceilingLinear * dbToLinear(-marginDb),
      lookaheadMs: limiter.lookaheadMs,
      releaseMs: limiter.releaseMs,
    });
    return loudnessOf(gainDb);
  };

  let aimLufs = targetLufs;
  let gainDb = unlimitedGainDb;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    // The search's last prediction is for the gain it returns, so `limiterGain` matches it.
    const search = searchGain(predict, aimLufs, gainDb);
    gainDb = search.gainDb;
    const predictedLufs = search.loudnessLufs;
    const { measures, continuousTruePeakDbtp } = measureWithGain(input, limiterGain, dbToLinear(gainDb));
    // The ceiling must hold between the grid points too; `measures` reports BS.1770-4.
    const overshootDb = continuousTruePeakDbtp - limiter.ceilingDbtp;
    const errorLu = measures.integratedLufs - targetLufs;
    if (overshootDb <= 0 && Math.abs(errorLu) <= FIT_TOLERANCE_LU) {
      applyGainInPlace(input, limiterGain, dbToLinear(gainDb));
      return {
        output: input,
        measures,
        gainDb,
        limiterMaxGainReductionDb: maxGainReductionDb,
        limiterMarginDb: marginDb,
        rounds: round,
        predictions,
      };
    }
    if (overshootDb > 0) marginDb += overshootDb + 0.01;
    // Aim the prediction past the target by its measured bias.
    aimLufs = targetLufs - (measures.integratedLufs - predictedLufs);
  }
  throw new LacquerError('ENGINE_TARGET_NOT_MET', 'the render did not converge on the loudness target', {
    details: { targetLufs, gainDb, marginDb },
  });
}

/** Secant search for the gain whose predicted loudness is `aimLufs`; loudness rises with gain. */
function searchGain(
  predict: (gainDb: number) => number,
  aimLufs: number,
  startGainDb: number,
): { gainDb: number; loudnessLufs: number } {
  let gainDb = startGainDb;
  let loudnessLufs = predict(gainDb);
  let slope = 1; // LU per dB: exactly 1 without limiting, less with it.
  for (
    let step = 0;
    step < MAX_SEARCH_STEPS && Math.abs(aimLufs - loudnessLufs) > SEARCH_TOLERANCE_LU;
    step++
  ) {
    const nextGainDb = gainDb + (aimLufs - loudnessLufs) / slope;
    const nextLoudnessLufs = predict(nextGainDb);
    const measuredSlope = (nextLoudnessLufs - loudnessLufs) / (nextGainDb - gainDb);
    slope = Number.isFinite(measuredSlope) ? Math.min(1, Math.max(0.05, measuredSlope)) : slope;
    gainDb = nextGainDb;
    loudnessLufs = nextLoudnessLufs;
  }
  return { gainDb, loudnessLufs };
}

function samplePeak(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const x of channels) {
    for (let n = 0; n < x.length; n++) {
      const a = Math.abs(x[n]!);
      if (a > peak) peak = a;
    }
  }
  return peak;
}

/** Frames per block when the output is measured without being stored. */
const MEASURE_BLOCK_LENGTH_SAMPLES = 65536;

/**
 * Exact measures (BS.1770-4, EBU R128) of `input · gain · limiterGain`, computed block by
 * block, and its continuous true peak (`createPeakMeter` with `continuous`: the largest
 * value between the oversampling grid points too, never below `measures.truePeakDbtp`), dBTP.
 */
function measureWithGain(
  input: PlanarAudio,
  limiterGain: Float32Array,
  gainLinear: number,
): { measures: LoudnessMeasures; continuousTruePeakDbtp: number } {
  const { sampleRateHz, channels } = input;
  const length = limiterGain.length;
  const analyzer = createLoudnessAnalyzer({ sampleRateHz, channelCount: channels.length });
  const continuousPeaks = createPeakMeter({ sampleRateHz, channelCount: channels.length, continuous: true });
  const block = channels.map(() => new Float32Array(MEASURE_BLOCK_LENGTH_SAMPLES));
  for (let start = 0; start < length; start += MEASURE_BLOCK_LENGTH_SAMPLES) {
    const blockLength = Math.min(MEASURE_BLOCK_LENGTH_SAMPLES, length - start);
    const views = channels.map((x, c) => {
      const y = block[c]!.subarray(0, blockLength);
      for (let i = 0; i < blockLength; i++) y[i] = x[start + i]! * gainLinear * limiterGain[start + i]!;
      return y;
    });
    analyzer.push(views);
    continuousPeaks.push(views);
  }
  const continuousTruePeakDbtp = linearToDb(Math.max(...continuousPeaks.truePeaksLinear()));
  return { measures: analyzer.result(), continuousTruePeakDbtp };
}

function applyGainInPlace(input: PlanarAudio, limiterGain: Float32Array, gainLinear: number): void {
  for (const x of input.channels) {
    for (let n = 0; n < x.length; n++) x[n] = x[n]! * gainLinear * limiterGain[n]!;
  }
}
