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
  const length = master.channels[0]?.length ?? 0;
  const start = Math.max(0, Math.min(length, Math.round(section.startSeconds * sampleRateHz)));
  const end = Math.max(start, Math.min(length, Math.round(section.endSeconds * sampleRateHz)));
  const previewLength = end - start;
  const fadeIn = Math.min(Math.round(PREVIEW_FADE_IN_SECONDS * sampleRateHz), Math.floor(previewLength / 2));
  const fadeOut = Math.min(
    Math.round(PREVIEW_FADE_OUT_SECONDS * sampleRateHz),
    Math.floor(previewLength / 2),
  );
  return {
    sampleRateHz,
    channels: master.channels.map((channel) => {
      const preview = channel.slice(start, end);
      for (let i = 0; i < fadeIn; i++) preview[i]! *= i / fadeIn;
      for (let i = 0; i < fadeOut; i++)
        preview[previewLength - 1 - i]! *= Math.sin(((Math.PI / 2) * i) / fadeOut);
      return preview;
    }),
  };
}
