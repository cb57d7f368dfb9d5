import { LacquerError } from '@lacquer/errors';
import type { PlanarAudio } from './planar-audio.ts';

/**
 * Random access to a programme that need not be in memory (a long file decoded to disk): the
 * frame-based analysis features (`measureThirdOctaveSpectrumOf`, `measureMidSidePowerSpectraOf`,
 * `estimateKeyOf`) read the frames they transform through it, so they work the same on a
 * {@link PlanarAudio} ({@link planarFrameSource}) and on a file.
 */
export interface FrameSource {
  /** 8000 to 768000 Hz. */
  readonly sampleRateHz: number;
  /** Channels, at least 1. */
  readonly channelCount: number;
  /** Frames (samples per channel) in the programme. */
  readonly lengthSamples: number;
  /**
   * Copies frames `[startFrame, startFrame + n)` into `target` (one array per channel, each
   * `n` long, n ≥ 0); the range must lie inside the programme. Synchronous.
   *
   * @throws LacquerError `DSP_INVALID_PARAMETER` for a range outside the programme; a
   *   file-backed source adds its own read errors.
   */
  read(startFrame: number, target: readonly Float32Array[]): void;
}

/**
 * A {@link FrameSource} over audio in memory: `read` copies out of `audio.channels` (which
 * must all have the same length).
 */
export function planarFrameSource(audio: PlanarAudio): FrameSource {
  const { sampleRateHz, channels } = audio;
  const lengthSamples = channels[0]?.length ?? 0;
  return {
    sampleRateHz,
    channelCount: channels.length,
    lengthSamples,
    read(startFrame, target) {
      const frames = target[0]?.length ?? 0;
      assertFrameRange(startFrame, frames, lengthSamples, target.length, channels.length);
      for (let c = 0; c < channels.length; c++) {
        target[c]!.set(channels[c]!.subarray(startFrame, startFrame + frames));
      }
    },
  };
}

/**
 * The boundary check of {@link FrameSource.read}: an integer start ≥ 0, the range inside the
 * programme, one target per channel.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` otherwise.
 */
export function assertFrameRange(
  startFrame: number,
  frames: number,
  lengthSamples: number,
  targetCount: number,
  channelCount: number,
): void {
  if (
    !(Number.isInteger(startFrame) && startFrame >= 0 && startFrame + frames <= lengthSamples) ||
    targetCount !== channelCount
  ) {
    throw new LacquerError('DSP_INVALID_PARAMETER', 'frame range outside the programme', {
      details: { startFrame, frames, lengthSamples, targetCount, channelCount },
    });
  }
}

/**
 * A {@link FrameSource} that can also be written: the scratch store of a long programme (the
 * decoded input, rendered in place; per-frame values of the loudness fit). Synchronous.
 */
export interface FrameStore extends FrameSource {
  /**
   * Writes `source` (one array per channel, equal lengths) at frames `[startFrame, …)`;
   * `startFrame` at most `lengthSamples`, and writing past the end extends the store.
   */
  write(startFrame: number, source: readonly Float32Array[]): void;
}
