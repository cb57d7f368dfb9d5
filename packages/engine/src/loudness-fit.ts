import {
  createLoudnessMeter,
  createPeakMeter,
  createTruePeakInterpolator,
  dbToLinear,
  type HopEnergies,
  integratedLoudness,
  type LimiterGainCurveOptions,
  type LimiterTiming,
  limiterGainCurve,
  linearToDb,
  lookaheadPeaks,
  type PlanarAudio,
  truePeakEnvelope,
  truePeakOversamplingFactor,
} from '@lacquer/dsp';
import { LacquerError } from '@lacquer/errors';
import type { LimiterStage } from './mastering-plan.ts';
import { forEachScaledBlock } from './scaled-blocks.ts';
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
 * Gain range the peak envelope is exact for, above the gain it is built for (dB): the
 * limiter's threshold must lie above the envelope's floor, so the envelope is rebuilt if the
 * search goes further; limiting costs loudness, so the search rarely goes 3 dB further.
 */
const GAIN_HEADROOM_DB = 3;
const MAX_SEARCH_STEPS = 12;
const MAX_ROUNDS = 5;

/** What {@link fitGainAndLimit} did. */
export interface LoudnessFit {
  /** The limited programme: `input` itself, overwritten. */
  readonly output: PlanarAudio;
  /** The output's K-weighted hop energies, measured (not predicted): its loudness figures. */
  readonly hops: HopEnergies;
  /** The output's continuous true peak (between the oversampling grid points too), dBTP. */
  readonly continuousTruePeakDbtp: number;
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
 * The K-weighted power and the continuous peak of the input are measured once, and the
 * oversampled peak envelope is built only if some peak reaches the limiter's threshold. A
 * candidate gain is then judged by predicting the output loudness as Σ g²·limiterGain²·power
 * per 10 ms hop (exact but for the gain's modulation of the K-filter's memory), which costs
 * one pass of {@link limiterGainCurve}. A secant search finds the gain whose prediction hits
 * the target; the output is then measured exactly (block by block, not stored; for an idle
 * limiter, exactly by linearity from the power and the peak), and the prediction's residual
 * error and any true-peak overshoot feed the next round (see {@link fitLoudness}, which the
 * long-programme render shares).
 *
 * Memory: the input (overwritten with the result) plus up to four float32 values per frame.
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
  const hopLengthSamples = Math.round(sampleRateHz / 100);
  const hopCount = Math.floor(length / hopLengthSamples);
  // Shared, so that the pool can read it while measuring a candidate.
  const limiterGain = new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT)).fill(
    1,
  );
  // The K-weighted power (in the pool) and the continuous true peak (here) of the programme
  // as it enters the gain stage. Continuous: between the oversampling grid points too, where
  // finer meters such as ffmpeg's ebur128 (192 kHz) find values the BS.1770-4 grid misses.
  const powerPending = pool.weightedPower(input);
  const peakLinear = continuousTruePeakLinear(input);
  const power = await powerPending;
  let peaks: Float32Array = new Float32Array(0); // lookaheadPeaks of the envelope

  const programme: FitProgramme = {
    sampleRateHz,
    hopLengthSamples,
    peakLinear,
    hopPower: limitedHopPower(power, limiterGain, hopCount, hopLengthSamples),
    buildPeaks(floorLinear, timing) {
      peaks = lookaheadPeaks(continuousPeakEnvelope(input, floorLinear), timing);
    },
    limitedHopPower(curve, hopPower) {
      const reductionDb = limiterGainCurve(peaks, limiterGain, curve);
      hopPower.set(limitedHopPower(power, limiterGain, hopCount, hopLengthSamples));
      return reductionDb;
    },
    measure: (gainLinear) => measureCandidate(input, limiterGain, gainLinear, pool),
  };
  const fit = await fitLoudness(programme, targetLufs, limiter);
  if (fit.curve === null) limiterGain.fill(1);
  applyGainInPlace(input, limiterGain, dbToLinear(fit.gainDb));
  const { curve: _, ...figures } = fit;
  return { output: input, ...figures };
}

/**
 * What {@link fitLoudness} needs of the programme it fits (as it enters the gain stage), so
 * that the same search runs on audio in memory ({@link fitGainAndLimit}) and on a programme
 * streamed from disk (the long-programme render).
 */
export interface FitProgramme {
  readonly sampleRateHz: number;
  /** 10 ms in frames: the hop of the loudness meter. */
  readonly hopLengthSamples: number;
  /** Continuous true peak of the programme (`createPeakMeter` with `continuous`), linear. */
  readonly peakLinear: number;
  /** The K-weighted power (`kWeightedPower`) summed over each complete 10 ms hop, in frame order. */
  readonly hopPower: Float64Array;
  /**
   * Prepares `lookaheadPeaks` of the continuous peak envelope (`truePeakEnvelope` with
   * `continuous`, exact above `floorLinear`) for {@link FitProgramme.limitedHopPower}.
   */
  buildPeaks(floorLinear: number, timing: LimiterTiming): void | Promise<void>;
  /**
   * Computes the limiter's gain curve c (`limiterGainCurve` of the prepared peaks with `curve`)
   * and writes Σ c[n]²·power[n] over each hop into `hopPower`, summed in frame order. Returns
   * the largest gain reduction, dB. The curve stays the current one for `measure`.
   */
  limitedHopPower(curve: LimiterGainCurveOptions, hopPower: Float64Array): number | Promise<number>;
  /**
   * Measures `programme · gainLinear · c` (c the current curve) without storing it: its hop
   * energies (`createLoudnessMeter`) and continuous true peak, dBTP.
   */
  measure(gainLinear: number): Promise<{ hops: HopEnergies; continuousTruePeakDbtp: number }>;
}

/** What {@link fitLoudness} found: {@link LoudnessFit} without the audio, and the curve to apply. */
export interface FitOutcome extends Omit<LoudnessFit, 'output'> {
  /** The limiter curve to apply with the gain (the last `limitedHopPower`'s); `null` when idle (unity). */
  readonly curve: LimiterGainCurveOptions | null;
}

/**
 * The search of {@link fitGainAndLimit} over any {@link FitProgramme}: secant searches over
 * predicted loudness, then an exact measurement, in rounds until the target and the ceiling
 * are met. The caller applies the result: `programme · 10^(gainDb/20) · c`, c the curve of the
 * last `limitedHopPower` (unity when `curve` is `null`).
 *
 * @throws LacquerError `ENGINE_TARGET_NOT_MET` if the rounds run out (a defect to report).
 */
export async function fitLoudness(
  programme: FitProgramme,
  targetLufs: number,
  limiter: LimiterStage,
): Promise<FitOutcome> {
  const { sampleRateHz, hopLengthSamples, peakLinear: programmePeakLinear, hopPower } = programme;
  const ceilingLinear = dbToLinear(limiter.ceilingDbtp);
  const energies = new Float64Array(hopPower.length);
  const limitedPower = new Float64Array(hopPower.length);
  const loudnessOf = (power: Float64Array, gainDb: number): number => {
    const gainSquared = dbToLinear(2 * gainDb);
    for (let h = 0; h < power.length; h++) energies[h] = power[h]! * gainSquared;
    return integratedLoudness({ sampleRateHz, hopLengthSamples, energies });
  };
  const unlimitedGainDb = targetLufs - loudnessOf(hopPower, 0);

  // The limiter's peak envelope is built only if some peak reaches its threshold, and only
  // exact above the threshold at a little more than the gain tried (rebuilt beyond that).
  let marginDb = INITIAL_MARGIN_DB;
  let envelopeFloorLinear = Number.POSITIVE_INFINITY;
  let curve: LimiterGainCurveOptions | null = null;
  let maxGainReductionDb = 0;
  let predictions = 0;
  const timing = { sampleRateHz, lookaheadMs: limiter.lookaheadMs };
  const predict = async (gainDb: number): Promise<number> => {
    predictions++;
    const thresholdLinear = ceilingLinear / dbToLinear(gainDb + marginDb);
    if (programmePeakLinear <= thresholdLinear) {
      curve = null;
      maxGainReductionDb = 0;
      return loudnessOf(hopPower, gainDb);
    }
    if (thresholdLinear < envelopeFloorLinear) {
      envelopeFloorLinear = ceilingLinear / dbToLinear(gainDb + marginDb + GAIN_HEADROOM_DB);
      await programme.buildPeaks(envelopeFloorLinear, timing);
    }
    curve = {
      ...timing,
      inputGainLinear: dbToLinear(gainDb),
      ceilingLinear: ceilingLinear * dbToLinear(-marginDb),
      releaseMs: limiter.releaseMs,
    };
    maxGainReductionDb = await programme.limitedHopPower(curve, limitedPower);
    return loudnessOf(limitedPower, gainDb);
  };

  let aimLufs = targetLufs;
  let gainDb = unlimitedGainDb;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    // The search's last prediction is for the gain it returns, so `curve` matches it.
    const search = await searchGain(predict, aimLufs, gainDb);
    gainDb = search.gainDb;
    const predictedLufs = search.loudnessLufs;
    const { hops, continuousTruePeakDbtp } =
      curve === null
        ? // A plain gain: K-weighting is linear, so the output's energies are the input's times
          // g² (the last prediction's, exactly) and its peak scales by g.
          {
            hops: { sampleRateHz, hopLengthSamples, energies: energies.slice() },
            continuousTruePeakDbtp: linearToDb(programmePeakLinear) + gainDb,
          }
        : await programme.measure(dbToLinear(gainDb));
    const integratedLufs = integratedLoudness(hops);
    // The ceiling must hold between the grid points too; `measures` reports BS.1770-4.
    const overshootDb = continuousTruePeakDbtp - limiter.ceilingDbtp;
    const errorLu = integratedLufs - targetLufs;
    if (overshootDb <= 0 && Math.abs(errorLu) <= FIT_TOLERANCE_LU) {
      return {
        hops,
        continuousTruePeakDbtp,
        gainDb,
        limiterMaxGainReductionDb: maxGainReductionDb,
        limiterMarginDb: marginDb,
        rounds: round,
        predictions,
        curve,
      };
    }
    if (overshootDb > 0) marginDb += overshootDb + 0.01;
    // Aim the prediction past the target by its measured bias.
    aimLufs = targetLufs - (integratedLufs - predictedLufs);
  }
  throw new LacquerError('ENGINE_TARGET_NOT_MET', 'the render did not converge on the loudness target', {
    details: { targetLufs, gainDb, marginDb },
  });
}

/**
 * Σ gain[n]²·power[n] over each of `hopCount` hops of `hopLengthSamples`, in frame order (the
 * sums {@link FitProgramme.hopPower} and {@link FitProgramme.limitedHopPower} describe).
 */
export function limitedHopPower(
  power: Float32Array,
  gain: Float32Array,
  hopCount: number,
  hopLengthSamples: number,
  hopPower: Float64Array = new Float64Array(hopCount),
): Float64Array {
  for (let h = 0; h < hopCount; h++) {
    let sum = 0;
    for (let n = h * hopLengthSamples, end = n + hopLengthSamples; n < end; n++) {
      const g = gain[n]!;
      sum += g * g * power[n]!;
    }
    hopPower[h] = sum;
  }
  return hopPower;
}

/** Secant search for the gain whose predicted loudness is `aimLufs`; loudness rises with gain. */
async function searchGain(
  predict: (gainDb: number) => Promise<number>,
  aimLufs: number,
  startGainDb: number,
): Promise<{ gainDb: number; loudnessLufs: number }> {
  let gainDb = startGainDb;
  let loudnessLufs = await predict(gainDb);
  let slope = 1; // LU per dB: exactly 1 without limiting, less with it.
  for (
    let step = 0;
    step < MAX_SEARCH_STEPS && Math.abs(aimLufs - loudnessLufs) > SEARCH_TOLERANCE_LU;
    step++
  ) {
    const nextGainDb = gainDb + (aimLufs - loudnessLufs) / slope;
    const nextLoudnessLufs = await predict(nextGainDb);
    const measuredSlope = (nextLoudnessLufs - loudnessLufs) / (nextGainDb - gainDb);
    slope = Number.isFinite(measuredSlope) ? Math.min(1, Math.max(0.05, measuredSlope)) : slope;
    gainDb = nextGainDb;
    loudnessLufs = nextLoudnessLufs;
  }
  return { gainDb, loudnessLufs };
}

/** The continuous-mode `truePeakEnvelope` at the programme's own oversampling factor. */
function continuousPeakEnvelope(audio: PlanarAudio, floorLinear: number): Float32Array {
  const interpolator = createTruePeakInterpolator(truePeakOversamplingFactor(audio.sampleRateHz));
  return truePeakEnvelope(audio.channels, interpolator, floorLinear, { continuous: true });
}

/** The largest continuous true peak over the channels of a programme, linear. */
function continuousTruePeakLinear(audio: PlanarAudio): number {
  const meter = createPeakMeter({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
    continuous: true,
  });
  meter.push(audio.channels);
  return Math.max(...meter.truePeaksLinear());
}

/**
 * Measures a candidate master `input · gainLinear · limiterGain` without storing it: its
 * loudness here, its continuous true peak in the pool, side by side.
 */
async function measureCandidate(
  input: PlanarAudio,
  limiterGain: Float32Array,
  gainLinear: number,
  pool: DspPool,
): Promise<{ hops: HopEnergies; continuousTruePeakDbtp: number }> {
  const continuousPending = pool.continuousTruePeaks(input, limiterGain, gainLinear);
  const meter = createLoudnessMeter({
    sampleRateHz: input.sampleRateHz,
    channelCount: input.channels.length,
  });
  forEachScaledBlock(input, limiterGain, gainLinear, (block) => meter.push(block));
  return {
    hops: meter.hopEnergies(),
    continuousTruePeakDbtp: linearToDb(Math.max(...(await continuousPending))),
  };
}

function applyGainInPlace(input: PlanarAudio, limiterGain: Float32Array, gainLinear: number): void {
  for (const x of input.channels) {
    for (let n = 0; n < x.length; n++) x[n] = x[n]! * gainLinear * limiterGain[n]!;
  }
}
