import {
  createLimiterGainReader,
  createLoudnessMeter,
  createPeakMeter,
  createTruePeakInterpolator,
  type FrameSource,
  type FrameStore,
  type LimiterGainCurveOptions,
  type LimiterTiming,
  linearToDb,
  lookaheadPeaks,
  truePeakEnvelope,
  truePeakOversamplingFactor,
} from '@lacquer/dsp';
import type { FitProgramme } from './loudness-fit.ts';

/** The programme and per-frame values a {@link frameFitProgramme} streams. */
export interface FrameFitInputs {
  /** The programme as it enters the gain stage (after EQ and compression). */
  readonly programme: FrameSource;
  /** One channel: its K-weighted power per frame (`kWeightedPower`). */
  readonly power: FrameSource;
  /** One channel, empty: where the limiter's look-ahead peaks go (written by `buildPeaks`). */
  readonly peaks: FrameStore;
  /** The power summed over each complete 10 ms hop. */
  readonly hopPower: Float64Array;
  /** The programme's continuous true peak, linear. */
  readonly peakLinear: number;
  /** Frames per pass block, a multiple of the 10 ms hop. */
  readonly blockLengthSamples: number;
  /**
   * Where `measure` gets the candidate's continuous true peaks, per channel, linear, while it
   * meters the loudness (e.g. a pool thread reading the same files); default: the same pass.
   */
  readonly continuousPeaks?: (gainLinear: number, curve: LimiterGainCurveOptions | null) => Promise<number[]>;
}

/**
 * The {@link FitProgramme} of a programme on disk: each step of the loudness fit is a pass
 * over stores, in blocks, computing what `fitGainAndLimit` computes over arrays, with the same
 * values:
 * - `buildPeaks`: the continuous peak envelope and its look-ahead maxima, block by block with
 *   enough context either side (the interpolator's reach plus the look-ahead) that every kept
 *   value is the whole-programme one (exact above the floor, which is all the limiter reads),
 *   into the peaks store;
 * - `limitedHopPower`: the limiter's gain curve streamed from the peaks store
 *   (`createLimiterGainReader`, bit for bit `limiterGainCurve`) against the power store;
 * - `measure`: the candidate master `programme · gain · curve` computed block by block into
 *   the loudness meter and the continuous peak meter, never stored.
 * Memory: a few blocks.
 */
export function frameFitProgramme(inputs: FrameFitInputs): FitProgramme & {
  /**
   * Visits the master `programme · gainLinear · c` block by block, c the limiter curve of
   * `curve` (unity when `null`): each block is valid only during the call.
   */
  forEachMasterBlock(
    gainLinear: number,
    curve: LimiterGainCurveOptions | null,
    visit: (block: readonly Float32Array[], startFrame: number) => void,
  ): void;
} {
  const { programme, power, peaks, hopPower, peakLinear, blockLengthSamples, continuousPeaks } = inputs;
  const { sampleRateHz, channelCount, lengthSamples } = programme;
  const hopLengthSamples = Math.round(sampleRateHz / 100);
  const interpolator = createTruePeakInterpolator(truePeakOversamplingFactor(sampleRateHz));
  // The peak at m reads samples m − taps … m + 1 at most (`createInterSamplePeakKernel`).
  const reachSamples = interpolator.tapsPerPhase + 2;
  let curve: LimiterGainCurveOptions | null = null;

  const forEachMaster = (
    gainLinear: number,
    masterCurve: LimiterGainCurveOptions | null,
    visit: (block: readonly Float32Array[], startFrame: number) => void,
  ): void =>
    forEachMasterBlock({ programme, peaks, gainLinear, curve: masterCurve, blockLengthSamples }, visit);

  return {
    sampleRateHz,
    hopLengthSamples,
    peakLinear,
    hopPower,
    buildPeaks(floorLinear: number, timing: LimiterTiming) {
      // M[n] reads the envelope within ±reachLookahead of n, and the envelope at m reads the
      // samples within the interpolator's reach of m: a block's values need that much context.
      const reachLookahead = 2 * Math.max(1, Math.round((timing.lookaheadMs / 1000) * sampleRateHz * 0.5));
      const context = reachLookahead + reachSamples + 1;
      const window = Array.from(
        { length: channelCount },
        () => new Float32Array(blockLengthSamples + 2 * context),
      );
      for (let start = 0; start < lengthSamples; start += blockLengthSamples) {
        const frames = Math.min(blockLengthSamples, lengthSamples - start);
        // Clamped to the programme, whose edges the whole-programme functions treat alike.
        const from = Math.max(0, start - context);
        const to = Math.min(lengthSamples, start + frames + context);
        const x = window.map((buffer) => buffer.subarray(0, to - from));
        programme.read(from, x);
        const envelope = truePeakEnvelope(x, interpolator, floorLinear, { continuous: true });
        const maxima = lookaheadPeaks(envelope, timing);
        peaks.write(start, [maxima.subarray(start - from, start - from + frames)]);
      }
    },
    limitedHopPower(curveOptions, out) {
      curve = curveOptions;
      const reader = createLimiterGainReader(peaks, curveOptions);
      const gains = new Float32Array(blockLengthSamples);
      const powers = new Float32Array(blockLengthSamples);
      const hopCount = out.length;
      // Every frame is read, so that the largest reduction covers the last partial hop too.
      for (let start = 0, h = 0; start < lengthSamples; start += blockLengthSamples) {
        const frames = Math.min(blockLengthSamples, lengthSamples - start);
        const g = gains.subarray(0, frames);
        const p = powers.subarray(0, frames);
        reader.read(g);
        power.read(start, [p]);
        // Blocks hold whole hops (the last may end in a partial one, which is not counted).
        for (let n = 0; n + hopLengthSamples <= frames && h < hopCount; n += hopLengthSamples, h++) {
          let sum = 0;
          for (let i = n, end = n + hopLengthSamples; i < end; i++) {
            const gi = g[i]!;
            sum += gi * gi * p[i]!;
          }
          out[h] = sum;
        }
      }
      return reader.maxGainReductionDb;
    },
    async measure(gainLinear) {
      const peaksPending = continuousPeaks?.(gainLinear, curve);
      const loudness = createLoudnessMeter({ sampleRateHz, channelCount });
      const truePeaks = peaksPending
        ? null
        : createPeakMeter({ sampleRateHz, channelCount, continuous: true });
      forEachMaster(gainLinear, curve, (block) => {
        loudness.push(block);
        truePeaks?.push(block);
      });
      const peaksLinear = peaksPending ? await peaksPending : truePeaks!.truePeaksLinear();
      return { hops: loudness.hopEnergies(), continuousTruePeakDbtp: linearToDb(Math.max(...peaksLinear)) };
    },
    forEachMasterBlock: forEachMaster,
  };
}

/** What {@link forEachMasterBlock} computes: `programme · gainLinear · c`, c the curve of `curve` over `peaks`. */
export interface MasterBlocks {
  readonly programme: FrameSource;
  /** The limiter's look-ahead peaks (`buildPeaks`); unused when `curve` is `null`. */
  readonly peaks: FrameSource | null;
  readonly gainLinear: number;
  /** The limiter curve's options (`createLimiterGainReader`); `null` for unity. */
  readonly curve: LimiterGainCurveOptions | null;
  readonly blockLengthSamples: number;
}

/**
 * Visits the master `programme · gainLinear · c` block by block, computed as
 * `forEachScaledBlock` and `applyGainInPlace` compute it (`x · gain · c[n]`, rounded once to
 * float32), c the limiter curve streamed from the peaks (`createLimiterGainReader`), unity
 * when `curve` is `null`. Each block is valid only during the call.
 */
export function forEachMasterBlock(
  master: MasterBlocks,
  visit: (block: readonly Float32Array[], startFrame: number) => void,
): void {
  const { programme, peaks, gainLinear, curve, blockLengthSamples } = master;
  const { channelCount, lengthSamples } = programme;
  const reader = curve && peaks ? createLimiterGainReader(peaks, curve) : null;
  const input = Array.from({ length: channelCount }, () => new Float32Array(blockLengthSamples));
  const output = input.map(() => new Float32Array(blockLengthSamples));
  const gains = new Float32Array(blockLengthSamples).fill(1);
  for (let start = 0; start < lengthSamples; start += blockLengthSamples) {
    const frames = Math.min(blockLengthSamples, lengthSamples - start);
    const x = input.map((buffer) => buffer.subarray(0, frames));
    const y = output.map((buffer) => buffer.subarray(0, frames));
    programme.read(start, x);
    reader?.read(gains.subarray(0, frames));
    for (let c = 0; c < channelCount; c++) {
      const xc = x[c]!;
      const yc = y[c]!;
      for (let i = 0; i < frames; i++) yc[i] = xc[i]! * gainLinear * gains[i]!;
    }
    visit(y, start);
  }
}
