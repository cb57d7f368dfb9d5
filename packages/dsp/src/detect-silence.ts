import { assertParameter, assertPlanarAudio } from './assert-planar-audio.ts';
import type { PlanarAudio } from './planar-audio.ts';

/** Time step of the silence decision, seconds. */
const STEP_SECONDS = 0.01;

/** Options of {@link detectSilence}. */
export interface SilenceOptions {
  /** Silent where the windowed RMS of every channel is below this level, dBFS. Default −60. */
  readonly thresholdDbfs?: number;
  /** Shortest silent region reported, seconds, ≥ 0 (applies to leading and trailing too). Default 0.5. */
  readonly minDurationSeconds?: number;
  /**
   * Length of the RMS window centred on each 10 ms step, seconds, > 0, rounded to an odd
   * number of steps (at least one). Default 0.05.
   */
  readonly windowSeconds?: number;
}

/** A silent region, `[startSeconds, endSeconds)` from the start of the audio. */
export interface SilentRegion {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly durationSeconds: number;
}

/** Result of {@link detectSilence}. */
export interface SilenceReport {
  /** Silent regions of at least `minDurationSeconds`, in time order. */
  readonly regions: readonly SilentRegion[];
  /** Duration of the region that starts at 0 s, else 0. */
  readonly leadingSilenceSeconds: number;
  /** Duration of the region that ends at the end of the audio, else 0. */
  readonly trailingSilenceSeconds: number;
  /** Sum of the regions' durations. */
  readonly totalSilentSeconds: number;
}

/**
 * Finds silent passages: the audio is cut into 10 ms steps, each step is silent when the RMS
 * over a `windowSeconds` window centred on it is below `thresholdDbfs` in every channel
 * (the loudest channel decides, so a hard-panned part is not silence), and runs of silent
 * steps of at least `minDurationSeconds` are reported. RMS is `10·log10(mean x²)` (a
 * full-scale sine is −3.01 dBFS), unweighted.
 *
 * Resolution: boundaries fall on the 10 ms grid and a region next to sound is shortened by
 * up to half a window (25 ms by default) at that side, because windows that reach into the
 * sound are not silent. Windows are truncated at the ends of the audio.
 *
 * Edge cases: digital silence is one region covering everything (leading = trailing =
 * total = duration); empty audio has no regions and zeros.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio or options.
 */
export function detectSilence(audio: PlanarAudio, options: SilenceOptions = {}): SilenceReport {
  assertPlanarAudio(audio, 'detectSilence');
  const thresholdDbfs = options.thresholdDbfs ?? -60;
  const minDurationSeconds = options.minDurationSeconds ?? 0.5;
  const windowSeconds = options.windowSeconds ?? 0.05;
  assertParameter(Number.isFinite(thresholdDbfs), 'detectSilence', 'thresholdDbfs', thresholdDbfs);
  assertParameter(
    Number.isFinite(minDurationSeconds) && minDurationSeconds >= 0,
    'detectSilence',
    'minDurationSeconds',
    minDurationSeconds,
  );
  assertParameter(
    Number.isFinite(windowSeconds) && windowSeconds > 0,
    'detectSilence',
    'windowSeconds',
    windowSeconds,
  );

  const { sampleRateHz, channels } = audio;
  const lengthSamples = channels[0]!.length;
  const durationSeconds = lengthSamples / sampleRateHz;
  const stepSamples = Math.max(1, Math.round(STEP_SECONDS * sampleRateHz));
  const stepCount = Math.ceil(lengthSamples / stepSamples);
  const channelCount = channels.length;

  // Sum of squares of each step, step-major: stepSquares[s·channelCount + c].
  const stepSquares = new Float64Array(stepCount * channelCount);
  for (let c = 0; c < channelCount; c++) {
    const samples = channels[c]!;
    for (let s = 0; s < stepCount; s++) {
      const end = Math.min(lengthSamples, (s + 1) * stepSamples);
      let sum = 0;
      for (let i = s * stepSamples; i < end; i++) {
        const x = samples[i]!;
        sum += x * x;
      }
      stepSquares[s * channelCount + c] = sum;
    }
  }

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
