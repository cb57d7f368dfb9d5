// Public entry of @lacquer/engine: analyze → decide → render, pure of I/O.
export {
  type Analysis,
  type AnalysisParts,
  type AnalysisSeries,
  analyze,
  assembleAnalysis,
  LOUDEST_SECTION_SECONDS,
} from './analysis.ts';
export { analyzeFrames } from './analyze-frames.ts';
export { DEFAULT_INTENSITY_PERCENT, type DecideOptions, decide } from './decide.ts';
export {
  DEFAULT_TARGET,
  DELIVERY_PRESETS,
  type DeliveryPresetName,
  type DeliveryTarget,
  resolveTarget,
  TARGET_CEILING_RANGE_DBTP,
  TARGET_LOUDNESS_RANGE_LUFS,
} from './delivery-target.ts';
export { parseJsonDocument, toJson } from './json-document.ts';
export { type LevelSummary, levelSummary } from './level-summary.ts';
export {
  DEFAULT_LONG_PROGRAMME_SECONDS,
  isLongProgramme,
  LONG_PROGRAMME_SECONDS_ENV,
  longProgrammeSecondsOf,
} from './long-programme.ts';
export { fitGainAndLimit, LOUDNESS_TOLERANCE_LU, type LoudnessFit } from './loudness-fit.ts';
export {
  type MasteredTrack,
  type MasteringStep,
  type MasterTrackOptions,
  masterTrack,
  type OutputMeasures,
  type RenderedMaster,
  type RenderMasterOptions,
  renderMaster,
} from './master-track.ts';
export type {
  CompressorStage,
  EqMove,
  GainStage,
  HighPassStage,
  LimiterStage,
  MasteringPlan,
  MatchEqStage,
  MonoBassStage,
  WidthStage,
} from './mastering-plan.ts';
export { FULL_MATCH, type MatchAmounts, resolveAmounts } from './match-amounts.ts';
export { cutPreview, PREVIEW_FADE_IN_SECONDS, PREVIEW_FADE_OUT_SECONDS } from './preview.ts';
export { type RenderReport, type RenderResult, render } from './render.ts';
export {
  type RenderedFrames,
  type RenderFramesOptions,
  type RenderFramesPorts,
  renderMasterFrames,
} from './render-frames.ts';
export type { MidSideSpectrum } from './spectral-features.ts';
export { TONAL_CURVES, TONAL_STYLES, type TonalCurve, type TonalStyle, tonalCurveOf } from './tonal-curve.ts';
export {
  createDspPool,
  type DspPool,
  type DspPoolOptions,
  INLINE_POOL,
} from './workers/dsp-pool.ts';
export type { PooledAnalysis, ProgrammePeaks } from './workers/dsp-tasks.ts';
