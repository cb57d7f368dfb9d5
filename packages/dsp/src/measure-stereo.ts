import { assertPlanarAudio } from './assert-planar-audio.ts';
import type { PlanarAudio } from './planar-audio.ts';

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
 * the correlation is undefined and reads 0. Channels beyond the second are ignored.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an invalid `PlanarAudio`.
 */
export function measureStereo(audio: PlanarAudio): StereoImage {
  assertPlanarAudio(audio, 'measureStereo');
  const left = audio.channels[0]!;
  const right = audio.channels[1];
  if (right === undefined) return { correlation: 1, sideToMidDb: Number.NEGATIVE_INFINITY, widthRatio: 0 };

  let sumL = 0;
  let sumR = 0;
  let sumLL = 0;
  let sumRR = 0;
  let sumLR = 0;
  let sumMid2 = 0;
  let sumSide2 = 0;
  const lengthSamples = left.length;
  for (let i = 0; i < lengthSamples; i++) {
    const l = left[i]!;
    const r = right[i]!;
    sumL += l;
    sumR += r;
    sumLL += l * l;
    sumRR += r * r;
    sumLR += l * r;
    // Summed directly rather than from ΣL², ΣLR, ΣR², so near-mono side energy keeps its precision.
    const mid = l + r;
    const side = l - r;
    sumMid2 += mid * mid;
    sumSide2 += side * side;
  }
  // 4·Σ M² and 4·Σ S²: the common factor cancels in both ratios.
  const midEnergy = sumMid2;
  const sideEnergy = sumSide2;
  if (midEnergy + sideEnergy === 0)
    return { correlation: 1, sideToMidDb: Number.NEGATIVE_INFINITY, widthRatio: 0 };

  const n = lengthSamples;
  const covariance = sumLR - (sumL * sumR) / n;
  const varianceL = Math.max(0, sumLL - (sumL * sumL) / n);
  const varianceR = Math.max(0, sumRR - (sumR * sumR) / n);
  let correlation: number;
  if (varianceL === 0 && varianceR === 0) correlation = 1;
  else if (varianceL === 0 || varianceR === 0) correlation = 0;
  else correlation = Math.min(1, Math.max(-1, covariance / Math.sqrt(varianceL * varianceR)));

  return {
    correlation,
    sideToMidDb: 10 * Math.log10(sideEnergy / midEnergy),
    widthRatio: sideEnergy / (midEnergy + sideEnergy),
  };
}
