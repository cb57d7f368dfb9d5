import { assertPlanarAudio } from './assert-planar-audio.ts';
import { createClippingDetector } from './clipping-detector.ts';
import type { PlanarAudio } from './planar-audio.ts';

/**
 * Default clip threshold, 0.999 (−0.0087 dBFS): every integer format's full-scale codes
 * (16-bit +32767/32768 = 0.99997) and a hard clip followed by a tiny gain change count,
 * while a limiter ceiling at −0.1 dBFS (0.9886) does not.
 */
export const DEFAULT_CLIP_THRESHOLD_LINEAR = 0.999;
/** Default shortest run, 3 samples, as Audacity's "Find Clipping" (start threshold 3). */
export const DEFAULT_MIN_CLIP_RUN_SAMPLES = 3;
/** Default number of runs listed in {@link ClippingReport.runs}. */
export const DEFAULT_MAX_LISTED_CLIP_RUNS = 100;

/** Options of {@link detectClipping}. */
export interface ClippingOptions {
  /** A sample clips when `|x| ≥ thresholdLinear`; finite, > 0. Default {@link DEFAULT_CLIP_THRESHOLD_LINEAR}. */
  readonly thresholdLinear?: number;
  /** Shortest run of consecutive clipping samples that counts; integer ≥ 1. Default 3. */
  readonly minRunSamples?: number;
  /** How many runs to list, earliest first across channels; integer ≥ 0. Default 100. */
  readonly maxListedRuns?: number;
}

/** One run of consecutive samples at or over the threshold. */
export interface ClipRun {
  /** Channel index (0 = left). */
  readonly channel: number;
  /** Start of the run, in seconds from the start of the audio. */
  readonly startSeconds: number;
  /** Index of the first sample of the run. */
  readonly startSample: number;
  readonly lengthSamples: number;
}

/** Result of {@link detectClipping}; counts cover only runs of at least `minRunSamples`. */
export interface ClippingReport {
  /** Samples in counted runs, summed over channels. */
  readonly clippedSampleCount: number;
  /** Number of counted runs, summed over channels. */
  readonly runCount: number;
  /** Length of the longest counted run; 0 when there is none. */
  readonly longestRunSamples: number;
  /** The first `maxListedRuns` runs in time order (ties by channel). */
  readonly runs: readonly ClipRun[];
}

/**
 * Finds clipping as runs of consecutive samples with `|x| ≥ thresholdLinear`, per channel.
 * A run that keeps `|x|` over the threshold while changing sign still counts as one run.
 *
 * Method: the consecutive-full-scale-samples heuristic (as Audacity's Find Clipping and
 * most mastering meters). It sees only sample values, so it cannot tell a hard clip from a
 * legitimately flat-topped waveform, misses clipping that was followed by a gain reduction
 * of more than the threshold allows, and a very low, very loud tone (a 20 Hz sine peaking
 * within 0.01 dB of full scale at 44.1 kHz stays over 0.999 for some 30 samples) reads as
 * clipped. Intersample overs are the true-peak meter's job.
 *
 * Edge cases: silence and empty audio give zero counts and no runs. Streaming form:
 * `createClippingDetector` (same report).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio or options.
 */
export function detectClipping(audio: PlanarAudio, options: ClippingOptions = {}): ClippingReport {
  assertPlanarAudio(audio, 'detectClipping');
  const detector = createClippingDetector({
    ...options,
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
  });
  detector.push(audio.channels);
  return detector.result();
}
