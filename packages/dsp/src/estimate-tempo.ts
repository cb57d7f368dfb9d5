import { assertPlanarAudio } from './assert-planar-audio.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { RealSpectrum, scaledFftSize } from './real-spectrum.ts';

/** Frame length at 44.1/48 kHz (23 ms), scaled with the rate; the hop is half of it (11.6 ms). */
const BASE_FRAME_SAMPLES = 1024;
const HOP_DIVISOR = 2;
/** Flux bands: quarter-octave bands from 30 Hz to 16 kHz (about 36 bands). */
const FLUX_LOWEST_HZ = 30;
const FLUX_HIGHEST_HZ = 16_000;
const FLUX_BANDS_PER_OCTAVE = 4;
/** Log compression `log(1 + γ·E)` of band energies normalised to a full-scale sine = 1. */
const COMPRESSION_GAMMA = 1e6;
/** Half-length of the moving average subtracted from the flux (Müller 2015 §6.1), seconds. */
const LOCAL_MEAN_HALF_SECONDS = 0.1;
/** Tempo search range, BPM. */
const MIN_TEMPO_BPM = 60;
const MAX_TEMPO_BPM = 200;
/** Ellis (2007): log-Gaussian tempo prior centred on 120 BPM, 1.4 octaves wide. */
const PRIOR_CENTRE_BPM = 120;
const PRIOR_WIDTH_OCTAVES = 1.4;
/** Autocorrelation lags computed, seconds: multiples of the beat up to here refine the period. */
const LAG_SPAN_SECONDS = 6;
/** A multiple of the period is used for refinement only if its peak is at least this share of the first. */
const MULTIPLE_MIN_SHARE = 0.3;

/** Result of {@link estimateTempo}: `tempoBpm` is `null` (and confidence 0) when there is no estimate. */
export type TempoEstimate =
  | {
      /** Beats per minute, about 60 … 200. */
      readonly tempoBpm: number;
      /** Pulse clarity 0 … 1: the normalised autocorrelation of the onset envelope at the beat period. */
      readonly confidence: number;
    }
  | { readonly tempoBpm: null; readonly confidence: 0 };

/**
 * Estimates the global tempo of `audio` in 60 … 200 BPM.
 *
 * Method:
 * 1. Onset strength (spectral flux, Bello et al. 2005; Müller, *Fundamentals of Music
 *    Processing*, 2015, §6.1): the channel average, periodic Hann frames of 1024 samples at
 *    44.1/48 kHz with a hop of 512 (11.6 ms; both scale with the rate), power grouped into
 *    quarter-octave bands 30 Hz … 16 kHz, log-compressed `log(1 + 10⁶·E)` (E relative to a
 *    full-scale sine), positive band differences summed; then a 0.2 s moving average is
 *    subtracted, the result half-wave rectified and smoothed with [1 2 1]/4.
 * 2. Unbiased autocorrelation of the mean-removed envelope over lags up to 6 s.
 * 3. Period choice as Ellis, "Beat Tracking by Dynamic Programming", JNMR 36(1), 2007:
 *    the autocorrelation is weighted by a log-Gaussian prior centred on 120 BPM with a width
 *    of 1.4 octaves, and each candidate lag τ also scores half the autocorrelation at 2τ
 *    (after Ellis's duple-meter "TPS2"), both read as parabola-interpolated peak heights so a
 *    period that falls between two whole lags is not under-scored.
 * 4. Refinement: parabolic peaks at the period and its multiples up to 6 s, fitted as
 *    `p_m = m·T` by least squares, so the period is finer than one envelope frame.
 *
 * Confidence is the pulse clarity of Lartillot et al. (ISMIR 2008): the autocorrelation at
 * the chosen period over that at lag 0, clamped to 0 … 1 (about 1 for a click track, near 0
 * for noise).
 *
 * Edge cases: `{ tempoBpm: null, confidence: 0 }` for silence, a constant signal, or audio
 * shorter than about 2.1 s (two beats at 60 BPM); no NaN is returned. Limits: one global
 * tempo (no tempo changes); octave errors remain possible on real music (half or double
 * time): the prior is symmetric about 120 BPM in octaves, so an even pulse faster than about
 * 160–170 BPM (120·√2) reads at half tempo, as drum-and-bass often is; a track without
 * percussive onsets gets a low confidence. Precision on a steady pulse is better than
 * 0.1 BPM from 10 s up.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio.
 */
export function estimateTempo(audio: PlanarAudio): TempoEstimate {
  assertPlanarAudio(audio, 'estimateTempo');
  const { sampleRateHz } = audio;
  const frameSamples = scaledFftSize(BASE_FRAME_SAMPLES, sampleRateHz);
  const hopSamples = frameSamples / HOP_DIVISOR;
  const frameRateHz = sampleRateHz / hopSamples;
  const envelope = onsetEnvelope(audio, frameSamples, hopSamples);
  const frameCount = envelope.length;

  const minLag = Math.floor((frameRateHz * 60) / MAX_TEMPO_BPM);
  const maxLag = Math.ceil((frameRateHz * 60) / MIN_TEMPO_BPM);
  const lagCount = Math.min(frameCount, Math.round(LAG_SPAN_SECONDS * frameRateHz) + 1);
  if (lagCount < 2 * maxLag + 2) return { tempoBpm: null, confidence: 0 };

  const acf = autocorrelation(envelope, lagCount);
  const energy = acf[0]!;
  if (!(energy > 0)) return { tempoBpm: null, confidence: 0 };

  // Candidate period: prior-weighted autocorrelation plus half of its value at twice the lag.
  const priorCentreLag = (frameRateHz * 60) / PRIOR_CENTRE_BPM;
  let bestLag = minLag;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let lag = minLag; lag <= maxLag; lag++) {
    const octave = Math.log2(lag / priorCentreLag) / PRIOR_WIDTH_OCTAVES;
    const weight = Math.exp(-0.5 * octave * octave);
    // Interpolated peak heights, so a period between two whole lags is not under-scored.
    const single = peakNear(acf, lag).value;
    const double = peakNear(acf, 2 * lag).value;
    const score = weight * (single + 0.5 * double);
    if (score > bestScore) {
      bestScore = score;
      bestLag = lag;
    }
  }

  const first = peakNear(acf, bestLag);
  const period = refinePeriod(acf, first);
  const tempoBpm = (60 * frameRateHz) / period;
  const confidence = Math.min(1, Math.max(0, first.value / energy));
  return { tempoBpm, confidence };
}

/** Onset strength per hop: band-wise log-compressed spectral flux, local mean removed, rectified. */
function onsetEnvelope(audio: PlanarAudio, frameSamples: number, hopSamples: number): Float64Array {
  const { channels, sampleRateHz } = audio;
  const lengthSamples = channels[0]!.length;
  const frameCount =
    lengthSamples < frameSamples ? 0 : Math.floor((lengthSamples - frameSamples) / hopSamples) + 1;
  const flux = new Float64Array(frameCount);
  if (frameCount === 0) return flux;

  const spectrum = new RealSpectrum(frameSamples);
  const { bins } = spectrum;
  const halfSize = frameSamples / 2;
  // Bin → band map; bins outside 30 Hz … min(16 kHz, Nyquist) are skipped (−1).
  const binBand = new Int32Array(halfSize + 1).fill(-1);
  let bandCount = 0;
  for (let k = 1; k < halfSize; k++) {
    const frequencyHz = (k * sampleRateHz) / frameSamples;
    if (frequencyHz < FLUX_LOWEST_HZ || frequencyHz > FLUX_HIGHEST_HZ) continue;
    const band = Math.floor(FLUX_BANDS_PER_OCTAVE * Math.log2(frequencyHz / FLUX_LOWEST_HZ));
    binBand[k] = band;
    bandCount = Math.max(bandCount, band + 1);
  }
  // |X|² of a full-scale sine is (Σw/2)²: normalise band energies to that.
  const powerScale = COMPRESSION_GAMMA / (spectrum.windowSum / 2) ** 2;
  let previous = new Float64Array(bandCount);
  let current = new Float64Array(bandCount);
  for (let t = 0; t < frameCount; t++) {
    spectrum.loadMix(channels, t * hopSamples);
    spectrum.transform();
    current.fill(0);
    for (let k = 1; k < halfSize; k++) {
      const band = binBand[k]!;
      if (band < 0) continue;
      const re = bins[2 * k]!;
      const im = bins[2 * k + 1]!;
      current[band] = current[band]! + re * re + im * im;
    }
    let sum = 0;
    for (let b = 0; b < bandCount; b++) {
      const compressed = Math.log1p(powerScale * current[b]!);
      current[b] = compressed;
      const rise = compressed - previous[b]!;
      if (t > 0 && rise > 0) sum += rise;
    }
    flux[t] = sum;
    const swap = previous;
    previous = current;
    current = swap;
  }

  // Subtract a centred moving average, rectify.
  const frameRateHz = sampleRateHz / hopSamples;
  const half = Math.max(1, Math.round(LOCAL_MEAN_HALF_SECONDS * frameRateHz));
  const envelope = new Float64Array(frameCount);
  let windowSum = 0;
  let windowStart = 0;
  let windowEnd = 0; // exclusive
  for (let t = 0; t < frameCount; t++) {
    const wantStart = Math.max(0, t - half);
    const wantEnd = Math.min(frameCount, t + half + 1);
    while (windowEnd < wantEnd) windowSum += flux[windowEnd++]!;
    while (windowStart < wantStart) windowSum -= flux[windowStart++]!;
    const value = flux[t]! - windowSum / (windowEnd - windowStart);
    envelope[t] = Math.max(value, 0);
  }
  // Smooth with [1 2 1]/4 so an onset falls into two frames whatever its phase: otherwise a
  // period between two whole lags splits its autocorrelation peak between them.
  let before = 0;
  for (let t = 0; t < frameCount; t++) {
    const centre = envelope[t]!;
    const after = t + 1 < frameCount ? envelope[t + 1]! : 0;
    envelope[t] = 0.25 * before + 0.5 * centre + 0.25 * after;
    before = centre;
  }
  return envelope;
}

/** Unbiased autocorrelation of `signal` minus its mean, lags 0 … lagCount−1. */
function autocorrelation(signal: Float64Array, lagCount: number): Float64Array {
  const n = signal.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += signal[t]!;
  mean /= n;
  const centred = new Float64Array(n);
  for (let t = 0; t < n; t++) centred[t] = signal[t]! - mean;
  const acf = new Float64Array(lagCount);
  for (let lag = 0; lag < lagCount; lag++) {
    let sum = 0;
    const end = n - lag;
    for (let t = 0; t < end; t++) sum += centred[t]! * centred[t + lag]!;
    acf[lag] = sum / end;
  }
  return acf;
}

interface Peak {
  /** Fractional lag of the peak. */
  readonly lag: number;
  /** Interpolated value at the peak. */
  readonly value: number;
}

/** The largest value within ±`radius` of `around`, refined by a parabola through its neighbours. */
function peakNear(acf: Float64Array, around: number, radius = 1): Peak {
  const lo = Math.max(1, Math.round(around) - radius);
  const hi = Math.min(acf.length - 2, Math.round(around) + radius);
  let k = lo;
  for (let j = lo + 1; j <= hi; j++) if (acf[j]! > acf[k]!) k = j;
  const left = acf[k - 1]!;
  const centre = acf[k]!;
  const right = acf[k + 1]!;
  const curvature = left - 2 * centre + right;
  if (!(curvature < 0) || centre < left || centre < right) return { lag: k, value: centre };
  const offset = (0.5 * (left - right)) / curvature;
  return { lag: k + offset, value: centre - 0.25 * (left - right) * offset };
}

/** Least-squares period from the peaks at 1, 2, 3 … times the first peak's lag. */
function refinePeriod(acf: Float64Array, first: Peak): number {
  let period = first.lag;
  let sumMP = first.lag;
  let sumMM = 1;
  for (let m = 2; m * period + 2 < acf.length; m++) {
    const peak = peakNear(acf, m * period);
    if (peak.value < MULTIPLE_MIN_SHARE * first.value) continue;
    sumMP += m * peak.lag;
    sumMM += m * m;
    period = sumMP / sumMM;
  }
  return period;
}
