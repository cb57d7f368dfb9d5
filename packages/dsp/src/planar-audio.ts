/**
 * Audio as Lacquer passes it around: planar, one `Float32Array` per channel, every channel
 * the same length, full scale at ±1.0 (values beyond are kept, never clipped).
 */
export interface PlanarAudio {
  /** Sample rate in Hz, always explicit. */
  readonly sampleRateHz: number;
  /** One array per channel (1 = mono, 2 = left/right), all of equal length. */
  readonly channels: readonly Float32Array[];
}

/** Number of sample frames (samples per channel) in `audio`. */
export function frameCount(audio: PlanarAudio): number {
  return audio.channels[0]?.length ?? 0;
}

/** Duration of `audio` in seconds. */
export function durationSeconds(audio: PlanarAudio): number {
  return frameCount(audio) / audio.sampleRateHz;
}

/** A view of frames `[startFrame, endFrame)` of `audio`, sharing its memory. */
export function sliceFrames(audio: PlanarAudio, startFrame: number, endFrame: number): PlanarAudio {
  return {
    sampleRateHz: audio.sampleRateHz,
    channels: audio.channels.map((channel) => channel.subarray(startFrame, endFrame)),
  };
}

/** A zeroed buffer with `channelCount` channels of `lengthSamples` frames. */
export function allocatePlanar(
  channelCount: number,
  lengthSamples: number,
  sampleRateHz: number,
): PlanarAudio {
  return {
    sampleRateHz,
    channels: Array.from({ length: channelCount }, () => new Float32Array(lengthSamples)),
  };
}
