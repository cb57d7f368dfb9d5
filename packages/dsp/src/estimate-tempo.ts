import FFT from 'fft.js';
import { assertPlanarAudio } from './assert-planar-audio.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { RealSpectrum, scaledFftSize } from './real-spectrum.ts';

/** Frame length at 44.1/48 kHz (23 ms), scaled with the rate; the hop is half of it (11.6 ms). */
const BASE_FRAME_SAMPLES = 1024;
const HOP_DIVISOR = 2;
/**
 * Frame length after decimation: the channel average is decimated by
 * `frameSamples / 256` (4 at 44.1/48 kHz, to 11.025/12 kHz) so that each frame is a
 * 256-point transform with the same 23 ms length and 43 Hz bins.
 */
const DECIMATED_FRAME_SAMPLES = 256;
/** Flux bands: quarter-octave bands from 30 Hz to 5 kHz (23 of them hold bins 43–47 Hz apart). */
const FLUX_LOWEST_HZ = 30;
const FLUX_HIGHEST_HZ = 5000;
const FLUX_BANDS_PER_OCTAVE = 4;
/**
 * Weight of the high band (what decimation removes, about 5 kHz up): the number of
 * quarter-octave bands from 5 to 16 kHz it stands for, so a broadband hi-hat or cymbal onset
 * counts about as much as in a full-rate flux over 30 Hz … 16 kHz.
 */
const HIGH_BAND_WEIGHT = FLUX_BANDS_PER_OCTAVE * Math.log2(16_000 / FLUX_HIGHEST_HZ);
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
  const { sampleRateHz } = audio;
  const frameSamples = scaledFftSize(BASE_FRAME_SAMPLES, sampleRateHz);
  const decimation = Math.max(1, frameSamples / DECIMATED_FRAME_SAMPLES);
  const frameRateHz = (sampleRateHz * HOP_DIVISOR) / frameSamples;
  const envelope = onsetEnvelope(
    splitAndDecimate(audio.channels, decimation),
    sampleRateHz / decimation,
    frameSamples / decimation,
  );
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

/** The channel average as a decimated low band plus the power of the rest, per decimated sample. */
interface TwoBandMix {
  /** Means of blocks of `factor` samples: the channel average decimated by `factor`. */
  readonly lowBand: Float32Array;
  /** Mean square of the channel average about each block mean: the power `lowBand` misses. */
  readonly highBandPower: Float32Array;
}

/**
 * Splits the channel average into blocks of `factor` samples (a trailing partial block is
 * dropped). More than two channels are first averaged into one (rounded to float32 once).
 */
function splitAndDecimate(channels: readonly Float32Array[], factor: number): TwoBandMix {
  if (channels.length > 2) return splitAndDecimate([channelAverage(channels)], factor);
  // Mono reads its one channel twice, so one loop serves both.
  const first = channels[0]!;
  const second = channels[1] ?? first;
  const length = Math.floor(first.length / factor);
  const lowBand = new Float32Array(length);
  const highBandPower = new Float32Array(length);
  for (let j = 0, n = 0; j < length; j++) {
    let sum = 0;
    let sumOfSquares = 0;
    for (let end = n + factor; n < end; n++) {
      const mix = 0.5 * (first[n]! + second[n]!);
      sum += mix;
      sumOfSquares += mix * mix;
    }
    const mean = sum / factor;
    lowBand[j] = mean;
    highBandPower[j] = Math.max(0, sumOfSquares / factor - mean * mean);
  }
  return { lowBand, highBandPower };
}

/** The average of all channels, accumulated in float64. */
function channelAverage(channels: readonly Float32Array[]): Float32Array {
  const length = channels[0]!.length;
  const sum = new Float64Array(length);
  for (const channel of channels) {
    for (let n = 0; n < length; n++) sum[n] = sum[n]! + channel[n]!;
  }
  const average = new Float32Array(length);
  for (let n = 0; n < length; n++) average[n] = sum[n]! / channels.length;
  return average;
}

/**
 * Onset strength per hop of `frameSamples / HOP_DIVISOR` decimated samples: band-wise
 * log-compressed spectral flux of the low band plus the weighted rise of the high band, local
 * mean removed, rectified and smoothed.
 */
function onsetEnvelope(mix: TwoBandMix, sampleRateHz: number, frameSamples: number): Float64Array {
  const { lowBand: signal, highBandPower } = mix;
  const hopSamples = frameSamples / HOP_DIVISOR;
  const lengthSamples = signal.length;
  const frameCount =
    lengthSamples < frameSamples ? 0 : Math.floor((lengthSamples - frameSamples) / hopSamples) + 1;
  const flux = new Float64Array(frameCount);
  if (frameCount === 0) return flux;

  const spectrum = new RealSpectrum(frameSamples);
  const halfSize = frameSamples / 2;
  // Bands as bin ranges [bandStart[b], bandStart[b + 1]): the bins from 30 Hz up to
  // min(5 kHz, Nyquist), each in quarter-octave band ⌊4·log2(f / 30 Hz)⌋.
  const bandOf = (k: number) =>
    Math.floor(FLUX_BANDS_PER_OCTAVE * Math.log2((k * sampleRateHz) / frameSamples / FLUX_LOWEST_HZ));
  const firstBin = Math.max(1, Math.ceil((FLUX_LOWEST_HZ * frameSamples) / sampleRateHz));
  const lastBin = Math.min(halfSize - 1, Math.floor((FLUX_HIGHEST_HZ * frameSamples) / sampleRateHz));
  const bandStarts: number[] = [];
  for (let k = firstBin; k <= lastBin; k++) {
    if (k === firstBin || bandOf(k) !== bandOf(k - 1)) bandStarts.push(k);
  }
  bandStarts.push(lastBin + 1);
  const bandCount = bandStarts.length - 1;
  // |X|² of a full-scale sine is (Σw/2)²: normalise band energies to that.
  const powerScale = COMPRESSION_GAMMA / (spectrum.windowSum / 2) ** 2;
  const previous = new Float64Array(bandCount);
  // One-sided band energy of a band-limited power p: (N/2)·Σ w²·p (Parseval).
  const highBandWeights = spectrum.window.map((w) => (frameSamples / 2) * w * w);
  let previousHigh = 0;
  /**
   * Log-compressed band energies of `bins` (frame starting at `start`) into `previous`;
   * returns the summed rise.
   */
  const frameFlux = (bins: Float64Array, start: number): number => {
    let highEnergy = 0;
    for (let n = 0; n < frameSamples; n++) highEnergy += highBandWeights[n]! * highBandPower[start + n]!;
    const high = Math.log1p(powerScale * highEnergy);
    let sum = high > previousHigh ? HIGH_BAND_WEIGHT * (high - previousHigh) : 0;
    previousHigh = high;
    for (let b = 0; b < bandCount; b++) {
      let energy = 0;
      for (let k = bandStarts[b]!; k < bandStarts[b + 1]!; k++) {
        const re = bins[2 * k]!;
        const im = bins[2 * k + 1]!;
        energy += re * re + im * im;
      }
      const compressed = Math.log1p(powerScale * energy);
      const rise = compressed - previous[b]!;
      if (rise > 0) sum += rise;
      previous[b] = compressed;
    }
    return sum;
  };
  // Frames two at a time in one complex transform; an odd last frame on its own.
  for (let t = 0; t < frameCount; t += 2) {
    if (t + 1 < frameCount) {
      spectrum.loadPair(signal, t * hopSamples, signal, (t + 1) * hopSamples);
      spectrum.transformPair(lastBin);
      flux[t] = frameFlux(spectrum.bins, t * hopSamples);
      flux[t + 1] = frameFlux(spectrum.secondBins, (t + 1) * hopSamples);
    } else {
      spectrum.loadChannel(signal, t * hopSamples);
      spectrum.transform();
      flux[t] = frameFlux(spectrum.bins, t * hopSamples);
    }
  }
  // The first frame has nothing to rise from.
  flux[0] = 0;

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
