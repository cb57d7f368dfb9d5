import { assertParameter } from './assert-planar-audio.ts';
import type { SilenceOptions, SilenceReport, SilentRegion } from './detect-silence.ts';

/** Time step of the silence decision, seconds. */
const STEP_SECONDS = 0.01;

/** Options of {@link createSilenceDetector}: `SilenceOptions` (same defaults) for a stream. */
export interface SilenceDetectorOptions extends SilenceOptions {
  /** Finite, > 0. */
  readonly sampleRateHz: number;
  /** Channels per pushed block, ≥ 1. */
  readonly channelCount: number;
}

/** The options with their defaults, validated. */
interface SilenceSettings {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  readonly thresholdDbfs: number;
  readonly minDurationSeconds: number;
  readonly windowSeconds: number;
}

/** A streaming silence detector: push planar blocks of any length, then read the report. */
export interface SilenceDetector {
  /** Adds a block (one array per channel, all the same length). Allocates only to grow its step store. */
  push(block: readonly Float32Array[]): void;
  /** The report over everything pushed so far (see `detectSilence`). */
  result(): SilenceReport;
}

/**
 * Creates the streaming form of `detectSilence` (which calls this):
 * the sum of squares of each 10 ms step and channel is accumulated as blocks arrive (16 bytes
 * per step for stereo, 5.8 MB per hour), and the decision runs over the steps at the end, so
 * any split into blocks gives exactly the report of one block.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an option out of range (as `detectSilence`).
 */
export function createSilenceDetector(options: SilenceDetectorOptions): SilenceDetector {
  const what = 'detectSilence';
  const { sampleRateHz, channelCount } = options;
  const settings: SilenceSettings = {
    sampleRateHz,
    channelCount,
    thresholdDbfs: options.thresholdDbfs ?? -60,
    minDurationSeconds: options.minDurationSeconds ?? 0.5,
    windowSeconds: options.windowSeconds ?? 0.05,
  };
  const { thresholdDbfs, minDurationSeconds, windowSeconds } = settings;
  assertParameter(Number.isFinite(sampleRateHz) && sampleRateHz > 0, what, 'sampleRateHz', sampleRateHz);
  assertParameter(Number.isInteger(channelCount) && channelCount >= 1, what, 'channelCount', channelCount);
  assertParameter(Number.isFinite(thresholdDbfs), what, 'thresholdDbfs', thresholdDbfs);
  assertParameter(
    Number.isFinite(minDurationSeconds) && minDurationSeconds >= 0,
    what,
    'minDurationSeconds',
    minDurationSeconds,
  );
  assertParameter(Number.isFinite(windowSeconds) && windowSeconds > 0, what, 'windowSeconds', windowSeconds);
  const stepSamples = Math.max(1, Math.round(STEP_SECONDS * sampleRateHz));
  // Sum of squares of each step, step-major: stepSquares[s·channelCount + c].
  let stepSquares = new Float64Array(1024 * channelCount);
  let completeSteps = 0;
  const current = new Float64Array(channelCount);
  let currentFill = 0;
  let lengthSamples = 0;

  const storeStep = (): void => {
    if ((completeSteps + 1) * channelCount > stepSquares.length) {
      const grown = new Float64Array(stepSquares.length * 2);
      grown.set(stepSquares);
      stepSquares = grown;
    }
    stepSquares.set(current, completeSteps * channelCount);
    completeSteps++;
    current.fill(0);
    currentFill = 0;
  };

  return {
    push(block) {
      const length = block[0]?.length ?? 0;
      let offset = 0;
      while (offset < length) {
        const end = Math.min(length, offset + stepSamples - currentFill);
        for (let c = 0; c < channelCount; c++) {
          const samples = block[c]!;
          let sum = current[c]!;
          for (let i = offset; i < end; i++) {
            const x = samples[i]!;
            sum += x * x;
          }
          current[c] = sum;
        }
        currentFill += end - offset;
        offset = end;
        if (currentFill === stepSamples) storeStep();
      }
      lengthSamples += length;
    },
    result() {
      const steps = new Float64Array((completeSteps + (currentFill > 0 ? 1 : 0)) * channelCount);
      steps.set(stepSquares.subarray(0, completeSteps * channelCount));
      if (currentFill > 0) steps.set(current, completeSteps * channelCount);
      return silenceOfSteps(steps, stepSamples, lengthSamples, settings);
    },
  };
}

/** The decision of `detectSilence` over the step sums of squares (step-major). */
function silenceOfSteps(
  stepSquares: Float64Array,
  stepSamples: number,
  lengthSamples: number,
  options: SilenceSettings,
): SilenceReport {
  const { sampleRateHz, channelCount, thresholdDbfs, minDurationSeconds, windowSeconds } = options;
  const durationSeconds = lengthSamples / sampleRateHz;
  const stepCount = stepSquares.length / channelCount;
  const halfWindowSteps = Math.floor(Math.max(1, Math.round(windowSeconds / STEP_SECONDS)) / 2);
  const thresholdMeanSquare = 10 ** (thresholdDbfs / 10);
  const regions: SilentRegion[] = [];
  let runStart = -1;
  const closeRun = (endStep: number) => {
    const startSeconds = (runStart * stepSamples) / sampleRateHz;
    const endSeconds = Math.min(lengthSamples, endStep * stepSamples) / sampleRateHz;
    if (endSeconds - startSeconds >= minDurationSeconds) {
      regions.push({ startSeconds, endSeconds, durationSeconds: endSeconds - startSeconds });
    }
    runStart = -1;
  };
  for (let s = 0; s < stepCount; s++) {
    const first = Math.max(0, s - halfWindowSteps);
    const last = Math.min(stepCount - 1, s + halfWindowSteps);
    const windowSamples = Math.min(lengthSamples, (last + 1) * stepSamples) - first * stepSamples;
    const limit = thresholdMeanSquare * windowSamples;
    let silent = true;
    for (let c = 0; c < channelCount && silent; c++) {
      let sum = 0;
      for (let k = first; k <= last; k++) sum += stepSquares[k * channelCount + c]!;
      silent = sum < limit;
    }
    if (silent && runStart < 0) runStart = s;
    else if (!silent && runStart >= 0) closeRun(s);
  }
  if (runStart >= 0) closeRun(stepCount);

  const firstRegion = regions[0];
  const lastRegion = regions[regions.length - 1];
  let totalSilentSeconds = 0;
  for (const region of regions) totalSilentSeconds += region.durationSeconds;
  return {
    regions,
    leadingSilenceSeconds:
      firstRegion !== undefined && firstRegion.startSeconds === 0 ? firstRegion.durationSeconds : 0,
    trailingSilenceSeconds:
      lastRegion !== undefined && lastRegion.endSeconds === durationSeconds ? lastRegion.durationSeconds : 0,
    totalSilentSeconds,
  };
}
