import {
  type FrameSource,
  measureMidSidePowerSpectraOf,
  type PlanarAudio,
  type PowerSpectrum,
  planarFrameSource,
  scaledFftSize,
  TONAL_BALANCE_CENTRES_HZ,
  toLogFrequencySpectrum,
  tonalBalanceOfSpectrum,
} from '@lacquer/dsp';

/**
 * Long-term mid and side spectra of a programme's active sections (Welch, Hann, 32768-point
 * segments at 44.1/48 kHz, 50 % overlap, two-stage activity gate; smoothed over 1/6 octave on
 * a 1/24-octave grid): what the reference match EQ compares. Levels are power densities in
 * dB (a gain of G dB moves every level by G dB); silent points read −200 dB.
 */
export interface MidSideSpectrum {
  readonly frequenciesHz: readonly number[];
  readonly midDb: readonly number[];
  readonly sideDb: readonly number[];
}

/** The spectral part of an analysis, computed in the DSP pool. */
export interface SpectralFeatures {
  /**
   * Power of the 28 one-third-octave bands 31.5 Hz … 16 kHz, dB re full scale, by the
   * project's tonal-balance definition (`measureTonalBalance` of @lacquer/dsp) before the
   * loudness normalization; `tonalBalanceDb` of the analysis subtracts the integrated loudness.
   */
  readonly tonalBandLevelsDb: readonly number[];
  readonly midSide: MidSideSpectrum;
}

/** Levels under this are taken as silence, so the JSON documents hold finite numbers (dB). */
export const SILENT_LEVEL_DB = -200;
/** The tonal-balance definition's segment; the match spectra scale it with the rate. */
const SEGMENT_SAMPLES = 32768;

/**
 * Measures {@link SpectralFeatures}. The tonal bands are defined at 32768-point segments at
 * every rate; they need a rate of at least 36 kHz (the 16 kHz band's upper edge), and read
 * {@link SILENT_LEVEL_DB} below it.
 */
export function measureSpectralFeatures(audio: PlanarAudio): SpectralFeatures {
  return measureSpectralFeaturesOf(planarFrameSource(audio));
}

/**
 * {@link measureSpectralFeatures} of a programme read through a `FrameSource` (a long file on
 * disk): the same values, each Welch segment read when it is transformed.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for more than two channels.
 */
export function measureSpectralFeaturesOf(source: FrameSource): SpectralFeatures {
  const everything = measureMidSidePowerSpectraOf(source, {
    segmentSamples: SEGMENT_SAMPLES,
    overlapRatio: 0.5,
  });
  const active = measureMidSidePowerSpectraOf(source, {
    segmentSamples: scaledFftSize(SEGMENT_SAMPLES, source.sampleRateHz),
    overlapRatio: 0.5,
    activityGate: true,
  });
  const mid = toLogFrequencySpectrum(active.mid);
  const side = toLogFrequencySpectrum(active.side);
  return {
    tonalBandLevelsDb: tonalBandLevels(channelAverage(everything.mid, everything.side), source.sampleRateHz),
    midSide: {
      frequenciesHz: Array.from(mid.frequenciesHz),
      midDb: Array.from(mid.levelsDb, finiteLevel),
      sideDb: Array.from(side.levelsDb, finiteLevel),
    },
  };
}

/**
 * Side power over mid power below `belowHz` (default: the whole grid), dB. Each point's power
 * density is weighted by its share of the log grid, which is proportional to its frequency.
 */
export function sideToMidDb(spectrum: MidSideSpectrum, belowHz = Number.POSITIVE_INFINITY): number {
  let mid = 0;
  let side = 0;
  spectrum.frequenciesHz.forEach((hz, i) => {
    if (hz >= belowHz) return;
    mid += 10 ** (spectrum.midDb[i]! / 10) * hz;
    side += 10 ** (spectrum.sideDb[i]! / 10) * hz;
  });
  return 10 * Math.log10(side / mid);
}

/** `(|L|² + |R|²)/2 = |M|² + |S|²` bin by bin, for M = (L+R)/2 and S = (L−R)/2. */
function channelAverage(mid: PowerSpectrum, side: PowerSpectrum): PowerSpectrum {
  const powers = new Float64Array(mid.powers.length);
  for (let k = 0; k < powers.length; k++) powers[k] = mid.powers[k]! + side.powers[k]!;
  return { ...mid, powers };
}

function tonalBandLevels(spectrum: PowerSpectrum, sampleRateHz: number): number[] {
  if (sampleRateHz < 36_000) return TONAL_BALANCE_CENTRES_HZ.map(() => SILENT_LEVEL_DB);
  return tonalBalanceOfSpectrum(spectrum, 0).bandsDb.map(finiteLevel);
}

function finiteLevel(levelDb: number): number {
  return Number.isFinite(levelDb) ? Math.max(SILENT_LEVEL_DB, levelDb) : SILENT_LEVEL_DB;
}
