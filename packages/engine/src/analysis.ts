import {
  type ClippingReport,
  createLoudnessMeter,
  detectClipping,
  detectSilence,
  estimateKey,
  estimateTempo,
  findLoudestSection,
  frameCount,
  type HopEnergies,
  type KeyEstimate,
  type Levels,
  type LoudestSection,
  type LoudnessSeries,
  loudnessMeasures,
  measureLevels,
  measureStereo,
  type PlanarAudio,
  type SilenceReport,
  type StereoImage,
  type TempoEstimate,
  type ThirdOctaveSpectrum,
} from '@lacquer/dsp';
import { type LevelSummary, levelSummary } from './level-summary.ts';
import { type MidSideSpectrum, SILENT_LEVEL_DB, type SpectralFeatures } from './spectral-features.ts';
import { type DspPool, INLINE_POOL } from './workers/dsp-pool.ts';
import type { ProgrammePeaks } from './workers/dsp-tasks.ts';

/** Length of the preview and of the section the loudest-part search looks for, seconds. */
export const LOUDEST_SECTION_SECONDS = 30;

/**
 * Everything Lacquer measures about a mix: the {@link LevelSummary} (ITU-R BS.1770-4, EBU
 * Tech 3341/3342) and the rest; every name carries its unit.
 */
export interface Analysis extends LevelSummary {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  readonly durationSeconds: number;
  /** Mean sample value per channel, linear full scale. */
  readonly dcOffsetLinear: readonly number[];
  readonly stereo: StereoImage;
  readonly spectrum: ThirdOctaveSpectrum;
  /**
   * The 28 one-third-octave bands 31.5 Hz … 16 kHz (`TONAL_BALANCE_CENTRES_HZ`), each band's
   * level minus the integrated loudness, dB: the tonal balance as the quality report measures
   * it (`measureTonalBalance` of @lacquer/dsp), and what tonal curves are written in.
   */
  readonly tonalBalanceDb: readonly number[];
  /** Long-term mid and side spectra of the active sections, for the reference match EQ. */
  readonly midSide: MidSideSpectrum;
  readonly clipping: ClippingReport;
  readonly silence: SilenceReport;
  readonly tempo: TempoEstimate;
  readonly key: KeyEstimate;
  /** The loudest 30 s (the whole programme when shorter), for previews. */
  readonly loudestSection: LoudestSection;
}

/** Loudness over time, kept apart from {@link Analysis} because it is large. */
export interface AnalysisSeries {
  /** Momentary loudness every 10 ms. */
  readonly momentary: LoudnessSeries;
  /** Short-term loudness every 10 ms. */
  readonly shortTerm: LoudnessSeries;
}

/**
 * Measures a programme: loudness and peaks, levels, stereo image, long-term spectrum,
 * clipping, silence, tempo, key and the loudest section.
 *
 * @param audio planar audio at its own rate, 1 to 8 channels (in `SharedArrayBuffer`s when
 *   `pool` has threads, else it is copied: see `DspPool`).
 * @param pool where the FFT features and the true peaks run (default: inline).
 */
export async function analyze(
  audio: PlanarAudio,
  pool: DspPool = INLINE_POOL,
): Promise<{ analysis: Analysis; series: AnalysisSeries }> {
  // The FFT features and the peaks go to the pool first, to run while this thread measures
  // the rest.
  const pooled = pool.analysis(audio);
  const meter = createLoudnessMeter({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
  });
  meter.push(audio.channels);
  const levels = measureLevels(audio);
  const stereo = measureStereo(audio);
  const clipping = detectClipping(audio);
  const silence = detectSilence(audio);
  const tempo = estimateTempo(audio);
  const key = estimateKey(audio);
  const { spectrum, spectral, peaks } = await pooled;
  return assembleAnalysis({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
    lengthSamples: frameCount(audio),
    hops: meter.hopEnergies(),
    peaks,
    levels,
    stereo,
    spectrum,
    spectral,
    clipping,
    silence,
    tempo,
    key,
  });
}

/** The measurements an {@link Analysis} is made of, however they were taken (in memory or streamed). */
export interface AnalysisParts {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  readonly lengthSamples: number;
  /** K-weighted hop energies (`createLoudnessMeter`). */
  readonly hops: HopEnergies;
  /** BS.1770-4 true and sample peaks per channel. */
  readonly peaks: ProgrammePeaks;
  readonly levels: Levels;
  readonly stereo: StereoImage;
  readonly spectrum: ThirdOctaveSpectrum;
  readonly spectral: SpectralFeatures;
  readonly clipping: ClippingReport;
  readonly silence: SilenceReport;
  readonly tempo: TempoEstimate;
  readonly key: KeyEstimate;
}

/**
 * Derives the {@link Analysis} and its series from the measurements: the EBU R128 figures from
 * the hop energies and peaks, the tonal balance relative to the integrated loudness, and the
 * loudest section from the short-term series. Shared by {@link analyze} and the long-programme
 * analysis, so both report alike.
 */
export function assembleAnalysis(parts: AnalysisParts): { analysis: Analysis; series: AnalysisSeries } {
  const { levels, spectral, peaks } = parts;
  const loudness = loudnessMeasures(parts.hops, peaks.truePeaksLinear, peaks.samplePeaksLinear);
  const durationSeconds = parts.lengthSamples / parts.sampleRateHz;
  const shortTermPoints = Array.from(
    loudness.shortTerm.valuesLufs,
    (lufs, k) => [loudness.shortTerm.firstEndSeconds + k * loudness.shortTerm.hopSeconds, lufs] as const,
  );
  const analysis: Analysis = {
    sampleRateHz: parts.sampleRateHz,
    channelCount: parts.channelCount,
    durationSeconds,
    ...levelSummary(loudness, levels),
    dcOffsetLinear: levels.channels.map((c) => c.dcOffsetLinear),
    stereo: parts.stereo,
    spectrum: parts.spectrum,
    tonalBalanceDb: spectral.tonalBandLevelsDb.map((levelDb) =>
      levelDb <= SILENT_LEVEL_DB || !Number.isFinite(loudness.integratedLufs)
        ? SILENT_LEVEL_DB
        : levelDb - loudness.integratedLufs,
    ),
    midSide: spectral.midSide,
    clipping: parts.clipping,
    silence: parts.silence,
    tempo: parts.tempo,
    key: parts.key,
    loudestSection: findLoudestSection(shortTermPoints, {
      durationSeconds: LOUDEST_SECTION_SECONDS,
      totalDurationSeconds: durationSeconds,
    }),
  };
  return { analysis, series: { momentary: loudness.momentary, shortTerm: loudness.shortTerm } };
}
