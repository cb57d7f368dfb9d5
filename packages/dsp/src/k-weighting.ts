import type { BiquadCoefficients } from './biquad-coefficients.ts';

/**
 * The two stages of the ITU-R BS.1770-4 K-weighting filter (§2.1, Annex 1): a high-shelf
 * "head" pre-filter (+4 dB above ~1.7 kHz) and the RLB high-pass (~38 Hz), derived for any
 * sample rate.
 *
 * BS.1770 tabulates coefficients for 48 kHz only. The analog prototypes below (centre
 * frequency, gain and Q fitted to those tabulated values) are re-discretized with the
 * bilinear transform at `sampleRateHz`, the approach of libebur128 (Jan Kokemüller, MIT);
 * at 48 kHz they reproduce the tabulated coefficients to about 1e−8.
 *
 * @param sampleRateHz 8000 to 768000 Hz.
 * @returns `[shelf, highPass]`, to be run in that order.
 */
export function kWeightingCoefficients(
  sampleRateHz: number,
): readonly [BiquadCoefficients, BiquadCoefficients] {
  const shelfFrequencyHz = 1681.974450955533;
  const shelfGainDb = 3.999843853973347;
  const shelfQ = 0.7071752369554196;
  let k = Math.tan((Math.PI * shelfFrequencyHz) / sampleRateHz);
  const vh = 10 ** (shelfGainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / shelfQ + k * k;
  const shelf: BiquadCoefficients = {
    b0: (vh + (vb * k) / shelfQ + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / shelfQ + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / shelfQ + k * k) / a0,
  };

  const highPassFrequencyHz = 38.13547087602444;
  const highPassQ = 0.5003270373238773;
  k = Math.tan((Math.PI * highPassFrequencyHz) / sampleRateHz);
  a0 = 1 + k / highPassQ + k * k;
  const highPass: BiquadCoefficients = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / highPassQ + k * k) / a0,
  };
  return [shelf, highPass];
}
