import {
  type ClippingReport,
  createLoudnessMeter,
  detectClipping,
  detectSilence,
  estimateKey,
  estimateTempo,
  findLoudestSection,
  frameCount,
  type KeyEstimate,
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
import { type MidSideSpectrum, SILENT_LEVEL_DB } from './spectral-features.ts';
import { type DspPool, INLINE_POOL } from './workers/dsp-pool.ts';

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
  const loudness = loudnessMeasures(meter.hopEnergies(), peaks.truePeaksLinear, peaks.samplePeaksLinear);
  const durationSeconds = frameCount(audio) / audio.sampleRateHz;
  const shortTermPoints = Array.from(
    loudness.shortTerm.valuesLufs,
    (lufs, k) => [loudness.shortTerm.firstEndSeconds + k * loudness.shortTerm.hopSeconds, lufs] as const,
  );
  const analysis: Analysis = {
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
    durationSeconds,
    ...levelSummary(loudness, levels),
    dcOffsetLinear: levels.channels.map((c) => c.dcOffsetLinear),
    stereo,
    spectrum,
    tonalBalanceDb: spectral.tonalBandLevelsDb.map((levelDb) =>
      levelDb <= SILENT_LEVEL_DB || !Number.isFinite(loudness.integratedLufs)
        ? SILENT_LEVEL_DB
        : levelDb - loudness.integratedLufs,
    ),
    midSide: spectral.midSide,
    clipping,
    silence,
    tempo,
    key,
    loudestSection: findLoudestSection(shortTermPoints, {
      durationSeconds: LOUDEST_SECTION_SECONDS,
      totalDurationSeconds: durationSeconds,
    }),
  };
  return { analysis, series: { momentary: loudness.momentary, shortTerm: loudness.shortTerm } };
}
