import { assertParameter } from './assert-planar-audio.ts';
import {
  type ClippingOptions,
  type ClippingReport,
  type ClipRun,
  DEFAULT_CLIP_THRESHOLD_LINEAR,
  DEFAULT_MAX_LISTED_CLIP_RUNS,
  DEFAULT_MIN_CLIP_RUN_SAMPLES,
} from './detect-clipping.ts';

/** Options of {@link createClippingDetector}: `ClippingOptions` (same defaults) for a stream. */
export interface ClippingDetectorOptions extends ClippingOptions {
  /** Finite, > 0. */
  readonly sampleRateHz: number;
  /** Channels per pushed block, ≥ 1. */
  readonly channelCount: number;
}

/** A streaming clipping detector: push planar blocks of any length, then read the report. */
export interface ClippingDetector {
  /** Adds a block (one array per channel, all the same length). Does not allocate, but to list a run. */
  push(block: readonly Float32Array[]): void;
  /** The report of everything pushed so far, runs still open counted as ending there. */
  result(): ClippingReport;
}

/**
 * Creates the streaming form of `detectClipping` (which calls this): runs of
 * `|x| ≥ thresholdLinear` per channel are carried across blocks, so any split into blocks
 * gives exactly the report of one block.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an option out of range (as `detectClipping`).
 */
export function createClippingDetector(options: ClippingDetectorOptions): ClippingDetector {
  const what = 'detectClipping';
  const { sampleRateHz, channelCount } = options;
  const thresholdLinear = options.thresholdLinear ?? DEFAULT_CLIP_THRESHOLD_LINEAR;
  const minRunSamples = options.minRunSamples ?? DEFAULT_MIN_CLIP_RUN_SAMPLES;
  const maxListedRuns = options.maxListedRuns ?? DEFAULT_MAX_LISTED_CLIP_RUNS;
  assertParameter(Number.isFinite(sampleRateHz) && sampleRateHz > 0, what, 'sampleRateHz', sampleRateHz);
  assertParameter(Number.isInteger(channelCount) && channelCount >= 1, what, 'channelCount', channelCount);
  assertParameter(
    Number.isFinite(thresholdLinear) && thresholdLinear > 0,
    what,
    'thresholdLinear',
    thresholdLinear,
  );
  assertParameter(
    Number.isInteger(minRunSamples) && minRunSamples >= 1,
    what,
    'minRunSamples',
    minRunSamples,
  );
  assertParameter(
    Number.isInteger(maxListedRuns) && maxListedRuns >= 0,
    what,
    'maxListedRuns',
    maxListedRuns,
  );
  let clippedSampleCount = 0;
  let runCount = 0;
  let longestRunSamples = 0;
  // Each channel keeps its own earliest runs; `result` keeps the earliest overall.
  const listed: ClipRun[] = [];
  const listedInChannel = new Int32Array(channelCount);
  // Start of the run each channel is in, −1 when none.
  const runStarts = new Float64Array(channelCount).fill(-1);
  let position = 0;

  const runOf = (channel: number, startSample: number, lengthSamples: number): ClipRun => ({
    channel,
    startSeconds: startSample / sampleRateHz,
    startSample,
    lengthSamples,
  });

  /** Counts a finished run of channel `c`, if long enough, and lists it while the channel may. */
  const closeRun = (c: number, startSample: number, endSample: number): void => {
    const lengthRun = endSample - startSample;
    if (lengthRun < minRunSamples) return;
    clippedSampleCount += lengthRun;
    runCount++;
    if (lengthRun > longestRunSamples) longestRunSamples = lengthRun;
    if (listedInChannel[c]! < maxListedRuns) {
      listed.push(runOf(c, startSample, lengthRun));
      listedInChannel[c]!++;
    }
  };

  return {
    push(block) {
      const length = block[0]?.length ?? 0;
      for (let c = 0; c < channelCount; c++) {
        const samples = block[c]!;
        const threshold = thresholdLinear;
        const offset = position;
        let runStart = runStarts[c]!;
        let i = 0;
        while (i < length) {
          if (runStart < 0) {
            // Outside a run: skip to the next sample at or over the threshold.
            while (i < length && Math.abs(samples[i]!) < threshold) i++;
            if (i < length) runStart = offset + i++;
          } else {
            while (i < length && Math.abs(samples[i]!) >= threshold) i++;
            if (i < length) {
              closeRun(c, runStart, offset + i++);
              runStart = -1;
            }
          }
        }
        runStarts[c] = runStart;
      }
      position += length;
    },
    result() {
      // Runs still open end here, counted without closing them (pushing may go on).
      let clipped = clippedSampleCount;
      let count = runCount;
      let longest = longestRunSamples;
      const runs = listed.slice();
      for (let c = 0; c < channelCount; c++) {
        const startSample = runStarts[c]!;
        const lengthRun = position - startSample;
        if (startSample < 0 || lengthRun < minRunSamples) continue;
        clipped += lengthRun;
        count++;
        if (lengthRun > longest) longest = lengthRun;
        if (listedInChannel[c]! < maxListedRuns) runs.push(runOf(c, startSample, lengthRun));
      }
      runs.sort((a, b) => a.startSample - b.startSample || a.channel - b.channel);
      return {
        clippedSampleCount: clipped,
        runCount: count,
        longestRunSamples: longest,
        runs: runs.slice(0, maxListedRuns),
      };
    },
  };
}
