import { defaultChannelWeights } from './channel-weights.ts';
import { createKWeightingFilter } from './k-weighting-filter.ts';
import type { PlanarAudio } from './planar-audio.ts';

/**
 * The instantaneous K-weighted, channel-weighted power Σ_i G_i·z_i[n]² of a programme
 * (ITU-R BS.1770-4 §2.1–2.3 before averaging): summed over any window and divided by its
 * length, it gives that window's mean-square energy. Used to predict the loudness of a
 * programme under a slowly varying gain g[n] as Σ g[n]²·p[n] without filtering again.
 *
 * @returns Float32Array, one value per frame.
 */
export function kWeightedPower(audio: PlanarAudio, channelWeights?: readonly number[]): Float32Array {
  const length = audio.channels[0]?.length ?? 0;
  const weights = channelWeights ?? defaultChannelWeights(audio.channels.length);
  const power = new Float32Array(length);
  audio.channels.forEach((channel, c) => {
    const weight = weights[c]!;
    if (weight !== 0) createKWeightingFilter(audio.sampleRateHz).filter(channel, 0, length, power, 0, weight);
  });
  return power;
}
