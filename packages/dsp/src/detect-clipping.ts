import { assertParameter, assertPlanarAudio } from './assert-planar-audio.ts';
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
 * Edge cases: silence and empty audio give zero counts and no runs.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio or options.
 */
export function detectClipping(audio: PlanarAudio, options: ClippingOptions = {}): ClippingReport {
  assertPlanarAudio(audio, 'detectClipping');
  const thresholdLinear = options.thresholdLinear ?? DEFAULT_CLIP_THRESHOLD_LINEAR;
  const minRunSamples = options.minRunSamples ?? DEFAULT_MIN_CLIP_RUN_SAMPLES;
  const maxListedRuns = options.maxListedRuns ?? DEFAULT_MAX_LISTED_CLIP_RUNS;
  assertParameter(
    Number.isFinite(thresholdLinear) && thresholdLinear > 0,
    'detectClipping',
    'thresholdLinear',
    thresholdLinear,
  );
  assertParameter(
    Number.isInteger(minRunSamples) && minRunSamples >= 1,
    'detectClipping',
    'minRunSamples',
    minRunSamples,
  );
  assertParameter(
    Number.isInteger(maxListedRuns) && maxListedRuns >= 0,
    'detectClipping',
    'maxListedRuns',
    maxListedRuns,
  );

  const { sampleRateHz } = audio;
  let clippedSampleCount = 0;
  let runCount = 0;
  let longestRunSamples = 0;
  // Each channel keeps its own earliest runs; the merge below keeps the earliest overall.
  const listed: ClipRun[] = [];
  audio.channels.forEach((samples, channel) => {
    let listedInChannel = 0;
    const lengthSamples = samples.length;
    let i = 0;
    while (i < lengthSamples) {
      if (Math.abs(samples[i]!) < thresholdLinear) {
        i++;
        continue;
      }
      const startSample = i;
      i++;
      while (i < lengthSamples) {
        if (Math.abs(samples[i]!) < thresholdLinear) break;
        i++;
      }
      const lengthRun = i - startSample;
      if (lengthRun < minRunSamples) continue;
      clippedSampleCount += lengthRun;
      runCount++;
      if (lengthRun > longestRunSamples) longestRunSamples = lengthRun;
      if (listedInChannel < maxListedRuns) {
        listed.push({
          channel,
          startSeconds: startSample / sampleRateHz,
          startSample,
          lengthSamples: lengthRun,
        });
        listedInChannel++;
      }
    }
  });
  listed.sort((a, b) => a.startSample - b.startSample || a.channel - b.channel);
  return { clippedSampleCount, runCount, longestRunSamples, runs: listed.slice(0, maxListedRuns) };
}
