import { assertParameter } from './assert-planar-audio.ts';
import type { PowerSpectrum } from './welch-power-spectrum.ts';

/** A smoothed power spectrum on a logarithmic frequency grid (for a match EQ or a plot). */
export interface LogFrequencySpectrum {
  /** Grid `minFrequencyHz · 2^(j / pointsPerOctave)`, ascending, up to `maxFrequencyHz`. */
  readonly frequenciesHz: Float64Array;
  /**
   * Per grid point: smoothed power density, `10·log10` of mean-square power per Hz (full
   * scale: white noise of mean square σ² reads `10·log10(σ² / (sampleRateHz / 2))` everywhere).
   * A gain of G dB shifts every level by exactly G dB. `-Infinity` where the window holds no
   * power.
   */
  readonly levelsDb: Float64Array;
}

/** Options of {@link toLogFrequencySpectrum}. */
export interface LogGridOptions {
  /** Grid density, above 0 up to 1000 (default 24). */
  readonly pointsPerOctave?: number;
  /**
   * Width of the smoothing window in octaves, 0 to 4 (default 1/6): rectangular in
   * log-frequency, centred on the grid point in octaves, never narrower than the 3 bins
   * nearest the point (0: those 3 bins only).
   */
  readonly smoothingOctaves?: number;
  /** Lowest grid point, above 0 and below `maxFrequencyHz` (default 20 Hz). */
  readonly minFrequencyHz?: number;
  /** Highest grid point at most, up to Nyquist (default the lower of 20 kHz and 0.9 × Nyquist). */
  readonly maxFrequencyHz?: number;
}

const DEFAULT_POINTS_PER_OCTAVE = 24;
const MAX_POINTS_PER_OCTAVE = 1000;
const DEFAULT_SMOOTHING_OCTAVES = 1 / 6;
const MAX_SMOOTHING_OCTAVES = 4;
const DEFAULT_MIN_FREQUENCY_HZ = 20;
const DEFAULT_MAX_FREQUENCY_HZ = 20_000;
/** The default top stays 10 % under Nyquist, clear of anti-alias roll-off. */
const DEFAULT_MAX_NYQUIST_FRACTION = 0.9;
const MIN_WINDOW_BINS = 3;
/** Absorbs round-off in `log2(max / min) · pointsPerOctave` so an exact top point is kept. */
const GRID_ROUNDING_TOLERANCE = 1e-9;

/**
 * Resamples a linear-grid {@link PowerSpectrum} onto a log-frequency grid with fractional-
 * octave smoothing: each grid point f reads the mean power density of the bins at
 * frequencies within `f · 2^(±smoothingOctaves/2)` (power per bin over the bins' total width,
 * DC and Nyquist counting half a bin), or of the 3 bins nearest f when that holds fewer. The
 * power density is used rather than the power per bin so that spectra with different
 * segment sizes read alike.
 *
 * Cost O(bins + points): window sums are differences of cumulative sums, taken from Nyquist
 * down so that their round-off (2⁻⁵³ of the power above the window) stays small for the
 * falling spectra of music; levels more than about 100 dB under the power above them
 * carry visible round-off.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an option out of range (including a
 *   default top not above `minFrequencyHz`, at very low rates).
 */
export function toLogFrequencySpectrum(
  spectrum: PowerSpectrum,
  options: LogGridOptions = {},
): LogFrequencySpectrum {
  const what = 'toLogFrequencySpectrum';
  const { powers, binWidthHz, sampleRateHz } = spectrum;
  const nyquistHz = sampleRateHz / 2;
  const pointsPerOctave = options.pointsPerOctave ?? DEFAULT_POINTS_PER_OCTAVE;
  assertParameter(
    pointsPerOctave > 0 && pointsPerOctave <= MAX_POINTS_PER_OCTAVE,
    what,
    'pointsPerOctave',
    pointsPerOctave,
  );
  const smoothingOctaves = options.smoothingOctaves ?? DEFAULT_SMOOTHING_OCTAVES;
  assertParameter(
    smoothingOctaves >= 0 && smoothingOctaves <= MAX_SMOOTHING_OCTAVES,
    what,
    'smoothingOctaves',
    smoothingOctaves,
  );
  const minFrequencyHz = options.minFrequencyHz ?? DEFAULT_MIN_FREQUENCY_HZ;
  const maxFrequencyHz =
    options.maxFrequencyHz ?? Math.min(DEFAULT_MAX_FREQUENCY_HZ, DEFAULT_MAX_NYQUIST_FRACTION * nyquistHz);
  assertParameter(
    minFrequencyHz > 0 && minFrequencyHz < maxFrequencyHz,
    what,
    'minFrequencyHz',
    minFrequencyHz,
  );
  assertParameter(maxFrequencyHz <= nyquistHz, what, 'maxFrequencyHz', maxFrequencyHz);

  const lastBin = powers.length - 1;
  // suffix[k] = Σ_{j ≥ k} powers[j]; non-increasing in k even in float64, so a window sum is ≥ 0.
  const suffix = new Float64Array(lastBin + 2);
  for (let k = lastBin; k >= 0; k--) suffix[k] = suffix[k + 1]! + powers[k]!;

  const pointCount =
    Math.floor(Math.log2(maxFrequencyHz / minFrequencyHz) * pointsPerOctave + GRID_ROUNDING_TOLERANCE) + 1;
  const frequenciesHz = new Float64Array(pointCount);
  const levelsDb = new Float64Array(pointCount);
  const halfWidthRatio = 2 ** (smoothingOctaves / 2);
  for (let j = 0; j < pointCount; j++) {
    const frequencyHz = minFrequencyHz * 2 ** (j / pointsPerOctave);
    let firstBin = Math.max(0, Math.ceil(frequencyHz / halfWidthRatio / binWidthHz));
    let endBin = Math.min(lastBin, Math.floor((frequencyHz * halfWidthRatio) / binWidthHz));
    if (endBin - firstBin + 1 < MIN_WINDOW_BINS) {
      const nearest = Math.round(frequencyHz / binWidthHz);
      firstBin = Math.max(0, Math.min(lastBin - MIN_WINDOW_BINS + 1, nearest - 1));
      endBin = firstBin + MIN_WINDOW_BINS - 1;
    }
    // DC and Nyquist are half-width bins of the one-sided spectrum.
    const widthBins = endBin - firstBin + 1 - (firstBin === 0 ? 0.5 : 0) - (endBin === lastBin ? 0.5 : 0);
    const densityPerHz = (suffix[firstBin]! - suffix[endBin + 1]!) / (widthBins * binWidthHz);
    frequenciesHz[j] = frequencyHz;
    levelsDb[j] = 10 * Math.log10(densityPerHz);
  }
  return { frequenciesHz, levelsDb };
}
