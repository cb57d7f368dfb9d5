import { assertPlanarAudio } from './assert-planar-audio.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { createStereoMeter } from './stereo-meter.ts';

/** Result of {@link measureStereo}. */
export interface StereoImage {
  /**
   * Pearson correlation coefficient of left and right over the whole signal, −1 … 1:
   * 1 identical (dual mono), 0 unrelated, −1 polarity-inverted.
   */
  readonly correlation: number;
  /**
   * `10·log10(E[S²] / E[M²])` with `M = (L+R)/2`, `S = (L−R)/2`, dB: `-Infinity` for dual mono,
   * about 0 dB for uncorrelated equal-level channels or one silent channel, `+Infinity`
   * when the mid is silent (right = −left).
   */
  readonly sideToMidDb: number;
  /**
   * Share of the energy in the side signal, `E[S²] / (E[M²] + E[S²])`, 0 … 1: 0 mono, 0.5
   * uncorrelated equal-level channels (or one-sided), 1 fully anti-phase.
   */
  readonly widthRatio: number;
}

/**
 * Stereo image measures of the first two channels (left, right) of `audio`, over the whole
 * signal, accumulated in float64 in one pass.
 *
 * Method: `correlation` is Pearson's r of the left and right samples (means removed), as a
 * phase-correlation meter integrated over the programme; `sideToMidDb` and `widthRatio` use
 * the mid/side energies with `M = (L+R)/2`, `S = (L−R)/2` (means not removed).
 *
 * Edge cases: mono input (one channel) and two silent channels are dual mono: correlation 1,
 * side/mid `-Infinity`, width 0. When exactly one channel has no variance (silent or DC only)
 * the correlation is undefined and reads 0. Channels beyond the second are ignored. Streaming
 * form: `createStereoMeter` (same values).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an invalid `PlanarAudio`.
 */
export function measureStereo(audio: PlanarAudio): StereoImage {
  assertPlanarAudio(audio, 'measureStereo');
  const meter = createStereoMeter(audio.channels.length);
  meter.push(audio.channels);
  return meter.result();
}
