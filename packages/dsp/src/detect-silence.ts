import { assertPlanarAudio } from './assert-planar-audio.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { createSilenceDetector } from './silence-detector.ts';

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
 * total = duration); empty audio has no regions and zeros. Streaming form:
 * `createSilenceDetector` (same report).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio or options.
 */
export function detectSilence(audio: PlanarAudio, options: SilenceOptions = {}): SilenceReport {
  assertPlanarAudio(audio, 'detectSilence');
  const detector = createSilenceDetector({
    ...options,
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
  });
  detector.push(audio.channels);
  return detector.result();
}
