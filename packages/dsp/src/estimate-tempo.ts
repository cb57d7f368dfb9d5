import FFT from 'fft.js';
import { assertPlanarAudio } from './assert-planar-audio.ts';
import { createOnsetFlux, type OnsetFluxOptions } from './onset-flux.ts';
import type { PlanarAudio } from './planar-audio.ts';

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
 *    Processing*, 2015, §6.1) of the channel average, split in two bands by block averaging
 *    (4 samples at 44.1/48 kHz; the factor scales with the rate): the block means are the
 *    signal decimated to 11.025/12 kHz, and the mean square about each block mean is the
 *    power the decimation removes (by orthogonality, exactly the rest of the signal power:
 *    mostly above 5 kHz, where hi-hats and cymbals sit). The decimated signal is cut into
 *    periodic Hann frames of 256 samples (23 ms) with a hop of 128 (11.6 ms); its power is
 *    grouped into quarter-octave bands 30 Hz … 5 kHz, the high-band power (Hann-weighted over
 *    the same frame) is one more band; each is log-compressed `log(1 + 10⁶·E)` (E relative to
 *    a full-scale sine), and the positive band differences are summed, the high band's
 *    weighted ×6.7 for the quarter-octave bands 5 … 16 kHz it stands for. Then a 0.2 s moving
 *    average is subtracted, the result half-wave rectified and smoothed with [1 2 1]/4.
 *    The block average is a weak anti-alias filter (−3 dB near 5 kHz, nulls at multiples of
 *    the decimated rate): some energy above the decimated Nyquist also folds into the upper
 *    bands, which an onset detector tolerates (it needs when energy rises, not where).
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
  const estimator = createTempoEstimator({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
  });
  estimator.push(audio.channels);
  return estimator.result();
}

/** A streaming tempo estimator: push planar blocks of any length, then read the estimate. */
export interface TempoEstimator {
  /** Adds a block (one array per channel, all the same length). */
  push(block: readonly Float32Array[]): void;
  /** The estimate of everything pushed (see {@link estimateTempo}); call once, after the last block. */
  result(): TempoEstimate;
}

/**
 * Creates the streaming form of {@link estimateTempo}: the onset strength is computed as the
 * blocks arrive (`createOnsetFlux`, 8 bytes per 11.6 ms frame), the rest at the end, so any
 * split into blocks gives exactly the estimate of one block.
 *
 * @param options sample rate (finite, > 0) and channels per block (≥ 1).
 */
export function createTempoEstimator(options: OnsetFluxOptions): TempoEstimator {
  const onsets = createOnsetFlux(options);
  return {
    push: (block) => onsets.push(block),
    result: () => tempoOfFlux(onsets.finish(), onsets.frameRateHz),
  };
}

/** Steps 1 (from the moving average on) to 4 of {@link estimateTempo}, on the spectral flux. */
function tempoOfFlux(flux: Float64Array, frameRateHz: number): TempoEstimate {
  const envelope = onsetEnvelope(flux, frameRateHz);
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

/**
 * The onset envelope from the spectral flux: a centred moving average of 0.2 s subtracted,
 * half-wave rectified, smoothed with [1 2 1]/4.
 */
function onsetEnvelope(flux: Float64Array, frameRateHz: number): Float64Array {
  const frameCount = flux.length;
  // Subtract a centred moving average, rectify.
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

/**
 * Unbiased autocorrelation of `signal` minus its mean, lags 0 … lagCount−1, by the
 * Wiener–Khinchin theorem: the inverse FFT of the power spectrum of the signal zero-padded to
 * at least `n + lagCount − 1` samples (so the circular correlation does not wrap for the lags
 * kept), each lag then divided by its `n − lag` products.
 */
function autocorrelation(signal: Float64Array, lagCount: number): Float64Array {
  const n = signal.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += signal[t]!;
  mean /= n;
  const size = 2 ** Math.ceil(Math.log2(n + lagCount));
  const fft = new FFT(size);
  const data = new Float64Array(2 * size);
  for (let t = 0; t < n; t++) data[2 * t] = signal[t]! - mean;
  const spectrum = new Float64Array(2 * size);
  fft.transform(spectrum, data);
  for (let k = 0; k < size; k++) {
    const re = spectrum[2 * k]!;
    const im = spectrum[2 * k + 1]!;
    data[2 * k] = re * re + im * im;
    data[2 * k + 1] = 0;
  }
  fft.inverseTransform(spectrum, data);
  const acf = new Float64Array(lagCount);
  for (let lag = 0; lag < lagCount; lag++) acf[lag] = spectrum[2 * lag]! / (n - lag);
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
