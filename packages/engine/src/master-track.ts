import { loudnessMeasures, measureLevels, measureStereo, type PlanarAudio } from '@lacquer/dsp';
import { LacquerError } from '@lacquer/errors';
import { type Analysis, type AnalysisSeries, analyze } from './analysis.ts';
import { decide } from './decide.ts';
import type { DeliveryTarget } from './delivery-target.ts';
import { type LevelSummary, levelSummary } from './level-summary.ts';
import type { MasteringPlan } from './mastering-plan.ts';
import type { MatchAmounts } from './match-amounts.ts';
import { cutPreview } from './preview.ts';
import { type RenderReport, render } from './render.ts';
import { type DspPool, INLINE_POOL } from './workers/dsp-pool.ts';

/** The steps of {@link masterTrack}, in order, for progress reports. */
export type MasteringStep = 'analyze' | 'analyzeReference' | 'decide' | 'render' | 'preview';

/** Options of {@link masterTrack}. */
export interface MasterTrackOptions {
  readonly target: DeliveryTarget;
  /** A finished track to match: its tonal balance, width and density (same or any rate). */
  readonly reference?: PlanarAudio;
  /** Reference mode: how much of each dimension to match, 0 … 100 % (default 100 each). */
  readonly amounts?: Partial<MatchAmounts>;
  /** Auto mode: `balanced` (default), `warm` or `bright`. */
  readonly style?: string;
  /** Auto mode: how much of the measured deviation to correct, 0 … 100 % (default 100). */
  readonly intensityPercent?: number;
  /** Called as each step starts. */
  readonly onStep?: (step: MasteringStep) => void;
  /**
   * Where DSP jobs run beside this thread (default: inline). With threads, `input` and
   * `reference` should be in `SharedArrayBuffer`s (see `DspPool`), or it is copied.
   */
  readonly pool?: DspPool;
  /**
   * A port for output: called as soon as the master and its preview exist, so that writing
   * them overlaps the last measurements; `masterTrack` waits for it before returning.
   */
  readonly deliver?: (master: PlanarAudio, preview: PlanarAudio) => Promise<void>;
}

/** Loudness, level and stereo measures of the master (the quick subset of {@link Analysis}). */
export interface OutputMeasures extends LevelSummary {
  /** Pearson correlation of left and right; `null` for mono. */
  readonly stereoCorrelation: number | null;
}

/** Everything {@link masterTrack} produced. */
export interface MasteredTrack {
  readonly analysis: Analysis;
  readonly series: AnalysisSeries;
  readonly referenceAnalysis: Analysis | null;
  readonly plan: MasteringPlan;
  readonly master: PlanarAudio;
  readonly preview: PlanarAudio;
  readonly output: OutputMeasures;
  readonly render: RenderReport;
  /** Wall time per step, seconds. */
  readonly stepSeconds: Readonly<Record<MasteringStep, number>>;
}

/**
 * Masters a track in memory: analyze → decide → render → preview. Pure of I/O: decoding and
 * encoding are the caller's (the CLI, the mastering service).
 *
 * `input` is modified in place by the render (pass a copy to keep it).
 *
 * @throws LacquerError `MEDIA_CHANNELS_UNSUPPORTED` for more than 2 channels, and what
 *   {@link decide} throws for silent or too short input.
 */
export async function masterTrack(input: PlanarAudio, options: MasterTrackOptions): Promise<MasteredTrack> {
  if (input.channels.length > 2) {
    throw new LacquerError(
      'MEDIA_CHANNELS_UNSUPPORTED',
      `Lacquer masters mono or stereo mixes; this one has ${input.channels.length} channels (downmix it to stereo first)`,
      { details: { channelCount: input.channels.length } },
    );
  }
  const stepSeconds = {} as Record<MasteringStep, number>;
  const step = async <T>(name: MasteringStep, work: () => T | Promise<T>): Promise<T> => {
    options.onStep?.(name);
    const start = performance.now();
    const result = await work();
    stepSeconds[name] = (performance.now() - start) / 1000;
    return result;
  };
  const pool = options.pool ?? INLINE_POOL;
  const { analysis, series } = await step('analyze', () => analyze(input, pool));
  const reference = options.reference;
  const referenceAnalysis = reference
    ? (await step('analyzeReference', () => analyze(reference, pool))).analysis
    : null;
  const plan = await step('decide', () =>
    decide(analysis, options.target, {
      reference: referenceAnalysis,
      ...(options.intensityPercent === undefined ? {} : { intensityPercent: options.intensityPercent }),
      ...(options.style === undefined ? {} : { style: options.style }),
      ...(options.amounts === undefined ? {} : { amounts: options.amounts }),
    }),
  );
  const mastered = await renderMaster(input, plan, analysis.loudestSection, {
    pool,
    onStep: (name) => options.onStep?.(name),
    stepSeconds,
    ...(options.deliver ? { deliver: options.deliver } : {}),
  });
  return {
    analysis,
    series,
    referenceAnalysis,
    plan,
    ...mastered,
    stepSeconds,
  };
}

/** Options of {@link renderMaster}. */
export interface RenderMasterOptions {
  readonly pool?: DspPool;
  readonly onStep?: (step: 'render' | 'preview') => void;
  /** Filled with the seconds of `render` and `preview`. */
  readonly stepSeconds?: Partial<Record<MasteringStep, number>>;
  /** See {@link MasterTrackOptions.deliver}. */
  readonly deliver?: (master: PlanarAudio, preview: PlanarAudio) => Promise<void>;
}

/** What {@link renderMaster} produced. */
export type RenderedMaster = Pick<MasteredTrack, 'master' | 'preview' | 'output' | 'render'>;

/**
 * The second half of {@link masterTrack}, for a plan decided elsewhere (the mastering
 * service): render → preview → measure the master. `input` is modified in place.
 *
 * @param loudestSection where the preview is cut (`Analysis.loudestSection` of the input).
 */
export async function renderMaster(
  input: PlanarAudio,
  plan: MasteringPlan,
  loudestSection: Analysis['loudestSection'],
  options: RenderMasterOptions = {},
): Promise<RenderedMaster> {
  const pool = options.pool ?? INLINE_POOL;
  const step = async <T>(name: 'render' | 'preview', work: () => T | Promise<T>): Promise<T> => {
    options.onStep?.(name);
    const start = performance.now();
    const result = await work();
    if (options.stepSeconds) options.stepSeconds[name] = (performance.now() - start) / 1000;
    return result;
  };
  const rendered = await step('render', () => render(input, plan, pool));
  // The master's BS.1770-4 peaks are measured in the pool while this thread does the rest.
  const peaksPending = pool.gridPeaks(rendered.master);
  const preview = await step('preview', () => cutPreview(rendered.master, loudestSection));
  const delivered = options.deliver?.(rendered.master, preview);
  const levels = measureLevels(rendered.master);
  const correlation =
    rendered.master.channels.length === 2 ? measureStereo(rendered.master).correlation : null;
  const [peaks] = await Promise.all([peaksPending, delivered]);
  const loudness = loudnessMeasures(rendered.hops, peaks.truePeaksLinear, peaks.samplePeaksLinear);
  return {
    master: rendered.master,
    preview,
    output: { ...levelSummary(loudness, levels), stereoCorrelation: correlation },
    render: rendered.report,
  };
}
