import {
  createBiquadCascade,
  createCompressor,
  createKWeightingFilter,
  createLevelsMeter,
  createLinearPhaseFirStream,
  createPeakMeter,
  createStereoMeter,
  dbToLinear,
  defaultChannelWeights,
  defaultFirLengthSamples,
  designButterworthHighPass,
  designLinearPhaseFir,
  type FrameStore,
  type LimiterGainCurveOptions,
  type LinearPhaseFirStream,
  loudnessMeasures,
  type PlanarAudio,
  type Processor,
} from '@lacquer/dsp';
import type { Analysis } from './analysis.ts';
import { eqCurves } from './eq-curves.ts';
import { frameFitProgramme } from './fit-frames.ts';
import { descriptorOf } from './frame-file-descriptor.ts';
import { levelSummary } from './level-summary.ts';
import { fitLoudness } from './loudness-fit.ts';
import type { OutputMeasures } from './master-track.ts';
import type { MasteringPlan } from './mastering-plan.ts';
import { passBlockLengthSamples } from './pass-blocks.ts';
import { fadePreview, previewFrames } from './preview.ts';
import { applyWidth, limiterCeiling, type RenderReport } from './render.ts';
import { type DspPool, INLINE_POOL } from './workers/dsp-pool.ts';
import type { ProgrammePeaks } from './workers/dsp-tasks.ts';

/** Where {@link renderMasterFrames} reads, keeps its working values and writes. */
export interface RenderFramesPorts {
  /** The decoded programme (1 or 2 channels), rendered in place: overwritten with the pre-limiter mix. */
  readonly programme: FrameStore;
  /** Creates an empty one-channel store at the programme's rate, for per-frame values of the fit. */
  readonly createScratch: (name: 'power' | 'peaks') => FrameStore;
  /** Receives the master front to back, in blocks valid only during the call (e.g. a WAV writer). */
  readonly writeMaster: (block: readonly Float32Array[]) => void;
}

/** Options of {@link renderMasterFrames}. */
export interface RenderFramesOptions {
  /**
   * Where the master's peaks are measured beside the passes that meter its loudness and write
   * it (default: inline, in the same passes); used when the stores are files a pool thread can
   * open (`FloatFrameFile`s).
   */
  readonly pool?: DspPool;
  readonly onStep?: (step: 'render' | 'preview') => void;
  /**
   * Filled with the seconds of `render` (the chain and the fit) and `preview` (the last pass:
   * the master written and measured, the preview cut on the way).
   */
  readonly stepSeconds?: Partial<Record<'render' | 'preview', number>>;
}

/** What {@link renderMasterFrames} produced besides the master it wrote. */
export interface RenderedFrames {
  /** The loudest section of the master, faded, in memory (30 s at most). */
  readonly preview: PlanarAudio;
  readonly output: OutputMeasures;
  readonly render: RenderReport;
}

/**
 * `renderMaster` for a programme too long to hold in memory: the same plan, the same stages
 * and the same fit, as passes over stores on disk, in blocks of about 1.5 s, with peak memory
 * that does not grow with the duration but by the fit's bookkeeping per 10 ms hop (about
 * 20 MB per hour): a few blocks, the linear-phase FIR's FFT frame, against 4 bytes per sample
 * for a programme held whole. Scratch disk: 16 bytes per frame for stereo (the programme, its
 * power and the limiter's peaks: 2.5 GB per hour at 44.1 kHz) besides the master.
 *
 * 1. One pass renders the programme in place: high-pass → linear-phase mid/side EQ (the
 *    streaming form of `applyMidSideFirInPlace`, time-aligned) or width → compressor; one
 *    more stores its K-weighted power per frame (`power` scratch) while the pool measures its
 *    continuous true peak.
 * 2. The loudness fit (`fitLoudness`, the search of `fitGainAndLimit`): each prediction of a
 *    limited gain is a pass over the `peaks` and `power` scratch stores, the peak envelope one
 *    pass over the programme, an exact measurement one more.
 * 3. One pass writes the master, `programme · gain · limiter curve`, to `writeMaster`, measuring
 *    its levels and stereo correlation and keeping the preview section, while the pool
 *    measures its peaks.
 *
 * With a pool of threads (`options.pool`) and stores it can open (`FloatFrameFile`s), the
 * peak measurements run in its thread beside the passes that meter loudness or write; without,
 * in those passes. Either way the figures are the same.
 *
 * Every stage computes what its in-memory counterpart computes, so on the same programme the
 * master equals `renderMaster`'s sample for sample (a test checks it), and the same input gives
 * the same output. No dither: that belongs to the 16-bit encoder.
 *
 * @param loudestSection where the preview is cut (`Analysis.loudestSection` of the input).
 * @throws LacquerError `ENGINE_TARGET_NOT_MET` as `fitGainAndLimit`; what the ports throw.
 */
export async function renderMasterFrames(
  plan: MasteringPlan,
  loudestSection: Analysis['loudestSection'],
  ports: RenderFramesPorts,
  options: RenderFramesOptions = {},
): Promise<RenderedFrames> {
  const { programme } = ports;
  const { sampleRateHz, channelCount, lengthSamples } = programme;
  const renderStart = performance.now();
  options.onStep?.('render');
  const blockLengthSamples = passBlockLengthSamples(sampleRateHz);
  const stageSeconds: Record<string, number> = {};
  const power = ports.createScratch('power');
  const peakStore = ports.createScratch('peaks');
  // A pool thread can measure the peaks of the programme, a candidate or the master from the
  // same files while this thread meters their loudness or writes the master.
  const pool = options.pool ?? INLINE_POOL;
  const programmeFile = pool === INLINE_POOL ? null : descriptorOf(programme);
  const pooledPeaks: PooledPeaks = (gainLinear, curve, continuous) => {
    const peaksFile = curve ? descriptorOf(peakStore) : null;
    if (!programmeFile || (curve && !peaksFile)) return null;
    const job = pool.masterPeaks({
      programme: programmeFile,
      peaks: peaksFile,
      gainLinear,
      curve,
      continuous,
    });
    // Awaited after the pass it runs beside; should that pass throw first, its failure is moot.
    job.catch(() => {});
    return job;
  };
  const chain = await renderChain(
    plan,
    ports.programme,
    power,
    blockLengthSamples,
    stageSeconds,
    pooledPeaks,
  );

  const fitStart = performance.now();
  const fitProgramme = frameFitProgramme({
    programme,
    power,
    peaks: peakStore,
    hopPower: chain.hopPower,
    peakLinear: chain.peakLinear,
    blockLengthSamples,
    ...(programmeFile
      ? {
          continuousPeaks: async (gainLinear: number, curve: LimiterGainCurveOptions | null) =>
            (await pooledPeaks(gainLinear, curve, true))!.truePeaksLinear,
        }
      : {}),
  });
  const fit = await fitLoudness(fitProgramme, plan.target.integratedLufs, limiterCeiling(plan));
  stageSeconds.gainAndLimiter = (performance.now() - fitStart) / 1000;

  if (options.stepSeconds) options.stepSeconds.render = (performance.now() - renderStart) / 1000;

  // The master, written and measured in one pass; the preview section kept on the way.
  options.onStep?.('preview');
  const previewStart = performance.now();
  const { startFrame, endFrame } = previewFrames(lengthSamples, sampleRateHz, loudestSection);
  const preview = Array.from({ length: channelCount }, () => new Float32Array(endFrame - startFrame));
  const gainLinear = dbToLinear(fit.gainDb);
  const peaksPending = pooledPeaks(gainLinear, fit.curve, false);
  const peaks = peaksPending ? null : createPeakMeter({ sampleRateHz, channelCount });
  const levels = createLevelsMeter(channelCount);
  const stereo = createStereoMeter(channelCount);
  fitProgramme.forEachMasterBlock(gainLinear, fit.curve, (block, start) => {
    ports.writeMaster(block);
    peaks?.push(block);
    levels.push(block);
    stereo.push(block);
    const frames = block[0]!.length;
    const from = Math.max(start, startFrame);
    const to = Math.min(start + frames, endFrame);
    for (let c = 0; c < channelCount && from < to; c++) {
      preview[c]!.set(block[c]!.subarray(from - start, to - start), from - startFrame);
    }
  });
  fadePreview(preview, sampleRateHz);
  const masterPeaks = peaksPending
    ? await peaksPending
    : { truePeaksLinear: peaks!.truePeaksLinear(), samplePeaksLinear: peaks!.samplePeaksLinear() };
  if (options.stepSeconds) options.stepSeconds.preview = (performance.now() - previewStart) / 1000;

  const loudness = loudnessMeasures(fit.hops, masterPeaks.truePeaksLinear, masterPeaks.samplePeaksLinear);
  return {
    preview: { sampleRateHz, channels: preview },
    output: {
      ...levelSummary(loudness, levels.result()),
      stereoCorrelation: channelCount === 2 ? stereo.result().correlation : null,
    },
    render: {
      gainDb: fit.gainDb,
      limiterMaxGainReductionDb: fit.limiterMaxGainReductionDb,
      limiterMarginDb: fit.limiterMarginDb,
      compressorMaxGainReductionDb: chain.compressorMaxGainReductionDb,
      rounds: fit.rounds,
      predictions: fit.predictions,
      stageSeconds,
    },
  };
}

/**
 * The peaks of `programme · gainLinear · c` (c the limiter curve of `curve`, unity for `null`)
 * measured in a pool thread, or `null` when there is none to measure them.
 */
type PooledPeaks = (
  gainLinear: number,
  curve: LimiterGainCurveOptions | null,
  continuous: boolean,
) => Promise<ProgrammePeaks> | null;

/** What the chain pass measured on the way. */
interface ChainResult {
  /** K-weighted power summed per complete 10 ms hop. */
  readonly hopPower: Float64Array;
  /** Continuous true peak of the rendered programme, linear. */
  readonly peakLinear: number;
  readonly compressorMaxGainReductionDb: number | null;
}

/**
 * Step 1 of {@link renderMasterFrames}: the stages before the gain, in place over the
 * programme; then a pass for the per-frame K-weighted power (into `power`) and the continuous
 * true peak. The FIR delays its output by its latency, so each block is written back that far
 * behind the read position (never ahead of it: in place is safe).
 */
async function renderChain(
  plan: MasteringPlan,
  programme: FrameStore,
  power: FrameStore,
  blockLengthSamples: number,
  stageSeconds: Record<string, number>,
  pooledPeaks: PooledPeaks,
): Promise<ChainResult> {
  const { sampleRateHz, channelCount, lengthSamples } = programme;
  const timed = (stage: string, work: () => void): void => {
    const start = performance.now();
    work();
    stageSeconds[stage] = (stageSeconds[stage] ?? 0) + (performance.now() - start) / 1000;
  };

  let highPass: Processor | null = null;
  if (plan.highPass) {
    const { frequencyHz, order } = plan.highPass;
    const sections = designButterworthHighPass({ sampleRateHz, frequencyHz, order });
    highPass = createBiquadCascade({ sections, channelCount, sampleRateHz });
  }
  const curves = eqCurves(plan);
  let fir: LinearPhaseFirStream | null = null;
  if (curves) {
    const firLengthSamples = defaultFirLengthSamples(sampleRateHz);
    const design = (gainDbAt: (frequencyHz: number) => number) =>
      designLinearPhaseFir({ sampleRateHz, lengthSamples: firLengthSamples, gainDbAt });
    fir = createLinearPhaseFirStream({
      midTaps: design(curves.mid),
      ...(channelCount === 2 ? { sideTaps: design(curves.side) } : {}),
      lengthSamples,
    });
  }
  const width = !curves && plan.width && channelCount === 2 ? plan.width : null;
  const compressor = plan.compressor
    ? createCompressor({ ...plan.compressor, sampleRateHz, channelCount, makeupGainDb: 0 })
    : null;

  let written = 0;

  /** The rest of the chain on frames that left the FIR, and the write-back. */
  const finish = (block: readonly Float32Array[]): void => {
    if (compressor) timed('compressor', () => compressor.process(block, block));
    programme.write(written, block);
    written += block[0]!.length;
  };

  const buffers = Array.from({ length: channelCount }, () => new Float32Array(blockLengthSamples));
  const latency = fir?.latencySamples ?? 0;
  let delayed = 0; // FIR output frames still to drop (its delay)
  for (let start = 0; start < lengthSamples; start += blockLengthSamples) {
    const frames = Math.min(blockLengthSamples, lengthSamples - start);
    const block = buffers.map((buffer) => buffer.subarray(0, frames));
    programme.read(start, block);
    if (highPass) timed('highPass', () => highPass.process(block, block));
    if (fir) timed('linearPhaseEq', () => fir.process(block, block));
    else if (width) timed('width', () => applyWidth(block[0]!, block[1]!, width));
    const skip = Math.min(frames, latency - delayed);
    delayed += skip;
    if (skip < frames) finish(block.map((channel) => channel.subarray(skip)));
  }
  if (fir) {
    // Drain the FIR's delay (processing zeros), in blocks; its first frames may still be the delay.
    for (let left = latency; left > 0; ) {
      const frames = Math.min(blockLengthSamples, left);
      const block = buffers.map((buffer) => buffer.subarray(0, frames));
      for (const channel of block) channel.fill(0);
      timed('linearPhaseEq', () => fir.process(block, block));
      left -= frames;
      const skip = Math.min(frames, latency - delayed);
      delayed += skip;
      const keep = Math.min(frames - skip, lengthSamples - written);
      if (keep > 0) finish(block.map((channel) => channel.subarray(skip, skip + keep)));
    }
  }
  // The pass the fit starts from: the K-weighted power here, the continuous true peak in the
  // pool (or here) from the same file.
  const peaksPending = pooledPeaks(1, null, true);
  const measured = measurePower(programme, power, blockLengthSamples, !peaksPending);
  const peakLinear = Math.max(
    ...(peaksPending ? (await peaksPending).truePeaksLinear : measured.truePeaksLinear),
  );
  return {
    hopPower: measured.hopPower,
    peakLinear,
    compressorMaxGainReductionDb: compressor ? compressor.maxGainReductionDb : null,
  };
}

/**
 * Measures the K-weighted power of `programme` per frame into `power` (as `kWeightedPower`:
 * channel by channel into a float32 sum) and summed per complete 10 ms hop; with
 * `truePeaks`, also its continuous true peaks per channel.
 */
function measurePower(
  programme: FrameStore,
  power: FrameStore,
  blockLengthSamples: number,
  truePeaks: boolean,
): { hopPower: Float64Array; truePeaksLinear: number[] } {
  const { sampleRateHz, channelCount, lengthSamples } = programme;
  const hopLengthSamples = Math.round(sampleRateHz / 100);
  const hopPower = new Float64Array(Math.floor(lengthSamples / hopLengthSamples));
  const weights = defaultChannelWeights(channelCount);
  const kFilters = weights.map(() => createKWeightingFilter(sampleRateHz));
  const meter = truePeaks ? createPeakMeter({ sampleRateHz, channelCount, continuous: true }) : null;
  const buffers = Array.from({ length: channelCount }, () => new Float32Array(blockLengthSamples));
  const powerBuffer = new Float32Array(blockLengthSamples);
  // Blocks hold whole hops (the last may end in a partial one, which is not counted).
  for (let start = 0, hop = 0; start < lengthSamples; start += blockLengthSamples) {
    const frames = Math.min(blockLengthSamples, lengthSamples - start);
    const block = buffers.map((buffer) => buffer.subarray(0, frames));
    programme.read(start, block);
    const p = powerBuffer.subarray(0, frames);
    p.fill(0);
    kFilters.forEach((filter, c) => {
      if (weights[c] !== 0) filter.filter(block[c]!, 0, frames, p, 0, weights[c]);
    });
    for (let n = 0; n + hopLengthSamples <= frames; n += hopLengthSamples) {
      let sum = 0;
      for (let i = n, end = n + hopLengthSamples; i < end; i++) sum += p[i]!;
      hopPower[hop++] = sum;
    }
    meter?.push(block);
    power.write(start, [p]);
  }
  return { hopPower, truePeaksLinear: meter ? meter.truePeaksLinear() : [] };
}
