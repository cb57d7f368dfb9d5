import type { LoudestSection, PlanarAudio } from '@lacquer/dsp';

/** Fade lengths of a preview, seconds: short enough to keep the section, long enough to avoid clicks. */
export const PREVIEW_FADE_IN_SECONDS = 0.5;
export const PREVIEW_FADE_OUT_SECONDS = 2;

/**
 * Cuts `section` out of `master` (a copy) with a linear fade-in and an equal-power
 * (cosine) fade-out, for `preview.mp3`.
 */
export function cutPreview(master: PlanarAudio, section: LoudestSection): PlanarAudio {
  const { sampleRateHz } = master;
  const { startFrame, endFrame } = previewFrames(master.channels[0]?.length ?? 0, sampleRateHz, section);
  const channels = master.channels.map((channel) => channel.slice(startFrame, endFrame));
  fadePreview(channels, sampleRateHz);
  return { sampleRateHz, channels };
}

/**
 * The frames `[startFrame, endFrame)` that {@link cutPreview} cuts out of a master of
 * `lengthSamples` frames: the section's times rounded to frames and clamped to the master.
 */
export function previewFrames(
  lengthSamples: number,
  sampleRateHz: number,
  section: LoudestSection,
): { startFrame: number; endFrame: number } {
  const startFrame = Math.max(0, Math.min(lengthSamples, Math.round(section.startSeconds * sampleRateHz)));
  const endFrame = Math.max(
    startFrame,
    Math.min(lengthSamples, Math.round(section.endSeconds * sampleRateHz)),
  );
  return { startFrame, endFrame };
}

/**
 * The fades of {@link cutPreview}, in place on a cut section (channels of equal length): linear
 * over {@link PREVIEW_FADE_IN_SECONDS}, equal-power (cosine) over {@link PREVIEW_FADE_OUT_SECONDS},
 * each at most half the section.
 */
export function fadePreview(channels: readonly Float32Array[], sampleRateHz: number): void {
  const previewLength = channels[0]?.length ?? 0;
  const fadeIn = Math.min(Math.round(PREVIEW_FADE_IN_SECONDS * sampleRateHz), Math.floor(previewLength / 2));
  const fadeOut = Math.min(
    Math.round(PREVIEW_FADE_OUT_SECONDS * sampleRateHz),
    Math.floor(previewLength / 2),
  );
  for (const preview of channels) {
    for (let i = 0; i < fadeIn; i++) preview[i]! *= i / fadeIn;
    for (let i = 0; i < fadeOut; i++)
      preview[previewLength - 1 - i]! *= Math.sin(((Math.PI / 2) * i) / fadeOut);
  }
}
