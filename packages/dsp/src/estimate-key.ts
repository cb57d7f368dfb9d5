import { assertPlanarAudio } from './assert-planar-audio.ts';
import { type FrameSource, planarFrameSource } from './frame-source.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { RealSpectrum, scaledFftSize, spreadFrameStarts } from './real-spectrum.ts';

/** Pitch-class names, sharps only, index 0 = C. */
export const PITCH_CLASSES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
/** A pitch-class name. */
export type PitchClass = (typeof PITCH_CLASSES)[number];
/** Major or minor mode. */
export type KeyMode = 'major' | 'minor';

/**
 * Krumhansl–Kessler probe-tone key profiles, C major and C minor, tonic first
 * (Krumhansl & Kessler, "Tracing the dynamic changes in perceived tonal organization in a
 * spatial representation of musical keys", Psychological Review 89(4), 1982; also in
 * Krumhansl, *Cognitive Foundations of Musical Pitch*, 1990).
 */
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88] as const;
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17] as const;
const PROFILES = [
  ['major', MAJOR_PROFILE],
  ['minor', MINOR_PROFILE],
] as const;

/** Transform size at 44.1/48 kHz: 1.35 Hz bins (a semitone at 55 Hz is 3.3 Hz), 0.74 s frames. */
const BASE_FFT_SIZE_SAMPLES = 32_768;
/**
 * Frames per estimate at most: 128 frames of 0.74 s sample 95 s of a 3-minute song, spread
 * over all of it. On the six corpus mixes the key is the same as from all 50 %-overlap frames
 * (about 480 each), also with the strata's offsets shifted (64 frames flipped 3 of 30 such
 * runs), at about a fifth of the time.
 */
const MAX_FRAME_COUNT = 128;
/** Chroma range: A1 (55 Hz) to 5 kHz (about D#8). */
const LOWEST_PITCH_HZ = 55;
const HIGHEST_PITCH_HZ = 5000;
const A4_HZ = 440;
const A4_MIDI = 69;

/** Result of {@link estimateKey}; all fields `null` (confidence 0) when there is no estimate. */
export type KeyEstimate =
  | {
      readonly tonic: PitchClass;
      readonly mode: KeyMode;
      /** `"<tonic> <mode>"`, e.g. `"A minor"`. */
      readonly label: string;
      /**
       * 0 … 1: the best key's profile correlation (key clarity) times `1 − chroma flatness`,
       * so noise and atonal material read near 0.
       */
      readonly confidence: number;
    }
  | { readonly tonic: null; readonly mode: null; readonly label: null; readonly confidence: 0 };

/**
 * Estimates the global musical key of `audio` (one of 24 major and minor keys).
 *
 * Method (Krumhansl–Schmuckler key finding, Krumhansl 1990, on an audio chromagram
 * as Gómez, *Tonal Description of Music Audio Signals*, 2006):
 * 1. Long-term magnitude spectrum of the channel average: periodic Hann frames of 32768
 *    samples at 44.1/48 kHz (scaled with the rate), 50 % overlap, magnitudes averaged; audio
 *    longer than 128 such frames (about 48 s at 44.1 kHz) is sampled by 128 frames spread
 *    over its whole length ({@link spreadFrameStarts}; 95 s of a 3-minute song), which the
 *    global key does not need more than. Two frames share one complex FFT (fft.js).
 * 2. Chroma: each bin from 55 Hz to 5 kHz is mapped to its nearest equal-tempered pitch
 *    (A4 = 440 Hz, no tuning estimate) with weight `cos²(π·d)`, `d` its distance in
 *    semitones (0 at the pitch, 0 halfway between two), and summed per pitch class.
 * 3. Pearson correlation of the chroma with the Krumhansl–Kessler major and minor profiles
 *    rotated to each of the 12 tonics; the best of the 24 is the key.
 *
 * Confidence: `clamp(r_best, 0, 1) · (1 − F)` where `F` is the chroma's flatness (geometric
 * over arithmetic mean, Gray & Markel 1974, applied to the 12 classes): 0 for noise, higher
 * for clear tonal centres.
 *
 * Edge cases and limits: silence or empty audio gives `{ tonic: null, mode: null, label: null,
 * confidence: 0 }`. One key for the whole audio (no modulation tracking); relative major
 * and minor (C major / A minor) and fifth-related keys are the usual confusions; a detuned
 * recording (far from A4 = 440 Hz) smears the chroma; harmonics and percussion add to the
 * chroma unfiltered.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio.
 */
export function estimateKey(audio: PlanarAudio): KeyEstimate {
  assertPlanarAudio(audio, 'estimateKey');
  return estimateKeyOf(planarFrameSource(audio));
}

/**
 * {@link estimateKey} of a programme read through a {@link FrameSource} (e.g. a long file on
 * disk): it reads only the frames it transforms (at most 128 of 0.74 s), two at a time, into
 * buffers of its own. Same result as `estimateKey` of the same audio.
 */
export function estimateKeyOf(source: FrameSource): KeyEstimate {
  const chroma = chromaOf(source);
  let total = 0;
  for (const value of chroma) total += value;
  if (!(total > 0)) return { tonic: null, mode: null, label: null, confidence: 0 };

  let bestCorrelation = Number.NEGATIVE_INFINITY;
  let bestTonic = 0;
  let bestMode: KeyMode = 'major';
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [mode, profile] of PROFILES) {
      const r = rotatedCorrelation(chroma, profile, tonic);
      if (r > bestCorrelation) {
        bestCorrelation = r;
        bestTonic = tonic;
        bestMode = mode;
      }
    }
  }
  const tonic = PITCH_CLASSES[bestTonic]!;
  const confidence = Math.min(1, Math.max(0, bestCorrelation)) * (1 - flatness(chroma));
  return { tonic, mode: bestMode, label: `${tonic} ${bestMode}`, confidence };
}

/** The 12-class chroma of the long-term magnitude spectrum of the channel average. */
function chromaOf(source: FrameSource): Float64Array {
  const { sampleRateHz, channelCount, lengthSamples } = source;
  const chroma = new Float64Array(12);
  const fftSizeSamples = scaledFftSize(BASE_FFT_SIZE_SAMPLES, sampleRateHz);
  const windowLengthSamples = Math.min(fftSizeSamples, lengthSamples);
  if (windowLengthSamples === 0) return chroma;

  const binWidthHz = sampleRateHz / fftSizeSamples;
  const firstBin = Math.max(1, Math.ceil(LOWEST_PITCH_HZ / binWidthHz));
  const lastBin = Math.min(fftSizeSamples / 2 - 1, Math.floor(HIGHEST_PITCH_HZ / binWidthHz));
  if (lastBin < firstBin) return chroma;
  const magnitude = new Float64Array(lastBin + 1);
  const spectrum = new RealSpectrum(fftSizeSamples, windowLengthSamples);
  const { bins, secondBins } = spectrum;
  const hopSamples = Math.floor(windowLengthSamples / 2);
  const starts = spreadFrameStarts(lengthSamples, windowLengthSamples, hopSamples, MAX_FRAME_COUNT);
  // Two frames side by side per channel: [first frame | second frame].
  const frames = Array.from({ length: channelCount }, () => new Float32Array(2 * windowLengthSamples));
  const firstFrame = frames.map((f) => f.subarray(0, windowLengthSamples));
  const secondFrame = frames.map((f) => f.subarray(windowLengthSamples));
  // Frames two at a time in one complex transform; an odd last frame on its own.
  for (let i = 0; i < starts.length; i += 2) {
    const start = starts[i]!;
    const next = starts[i + 1];
    source.read(start, firstFrame);
    if (next === undefined) {
      spectrum.loadMix(frames, 0);
      spectrum.transform();
    } else {
      source.read(next, secondFrame);
      spectrum.loadMixPair(frames, 0, windowLengthSamples);
      spectrum.transformPair(lastBin);
      accumulateMagnitude(magnitude, secondBins, firstBin, lastBin);
    }
    accumulateMagnitude(magnitude, bins, firstBin, lastBin);
  }

  for (let k = firstBin; k <= lastBin; k++) {
    const midi = A4_MIDI + 12 * Math.log2((k * binWidthHz) / A4_HZ);
    const nearest = Math.round(midi);
    const weight = Math.cos(Math.PI * (midi - nearest)) ** 2;
    const pitchClass = ((nearest % 12) + 12) % 12;
    chroma[pitchClass] = chroma[pitchClass]! + weight * magnitude[k]!;
  }
  return chroma;
}

/** Adds `|X_k|` of bins `firstBin … lastBin` to `magnitude`. */
function accumulateMagnitude(
  magnitude: Float64Array,
  bins: Float64Array,
  firstBin: number,
  lastBin: number,
): void {
  for (let k = firstBin; k <= lastBin; k++) {
    const re = bins[2 * k]!;
    const im = bins[2 * k + 1]!;
    magnitude[k] = magnitude[k]! + Math.sqrt(re * re + im * im);
  }
}

/** Pearson correlation of `chroma[(tonic + i) mod 12]` with `profile[i]`. */
function rotatedCorrelation(chroma: Float64Array, profile: readonly number[], tonic: number): number {
  let meanChroma = 0;
  let meanProfile = 0;
  for (let i = 0; i < 12; i++) {
    meanChroma += chroma[i]!;
    meanProfile += profile[i]!;
  }
  meanChroma /= 12;
  meanProfile /= 12;
  let covariance = 0;
  let varianceChroma = 0;
  let varianceProfile = 0;
  for (let i = 0; i < 12; i++) {
    const c = chroma[(tonic + i) % 12]! - meanChroma;
    const p = profile[i]! - meanProfile;
    covariance += c * p;
    varianceChroma += c * c;
    varianceProfile += p * p;
  }
  return varianceChroma > 0 ? covariance / Math.sqrt(varianceChroma * varianceProfile) : 0;
}

/** Geometric over arithmetic mean of the 12 classes, 0 … 1 (1 = flat). */
function flatness(chroma: Float64Array): number {
  let logSum = 0;
  let sum = 0;
  for (const value of chroma) {
    logSum += Math.log(value);
    sum += value;
  }
  return Math.exp(logSum / 12) / (sum / 12);
}
