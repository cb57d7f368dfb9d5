import { createBiquadCascade } from './biquad-filter.ts';
import { defaultChannelWeights } from './channel-weights.ts';
import { kWeightingCoefficients } from './k-weighting.ts';
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
  const filtered = new Float32Array(Math.min(length, 65536));
  audio.channels.forEach((channel, c) => {
    const weight = weights[c]!;
    if (weight === 0) return;
    const filter = createBiquadCascade({
      sections: kWeightingCoefficients(audio.sampleRateHz),
      channelCount: 1,
      sampleRateHz: audio.sampleRateHz,
    });
    for (let start = 0; start < length; start += filtered.length) {
      const end = Math.min(length, start + filtered.length);
      const out = filtered.subarray(0, end - start);
      filter.process([channel.subarray(start, end)], [out]);
      for (let i = 0; i < out.length; i++) power[start + i]! += weight * out[i]! * out[i]!;
    }
  });
  return power;
}
