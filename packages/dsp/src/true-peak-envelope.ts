import type { TruePeakInterpolator } from './true-peak-interpolator.ts';

/**
 * The linked true-peak envelope of a programme: `e[m]` is the largest absolute value, over all
 * channels, of sample m and of the interpolated values between samples m and m+1 (BS.1770-4
 * Annex 2 oversampling). A limiter whose gain at m keeps `gain·e[m]` at or under its ceiling
 * keeps the true peak there too, up to the small error of gain changes inside the
 * interpolator's span (see `limiterGainCurve`).
 *
 * Values that cannot exceed `floorLinear` are not interpolated: there `e[m]` is only the
 * sample value (a lower bound). A limiter never acts below its threshold, so passing the
 * threshold at the highest gain it will try as the floor gives an exact result where it
 * matters and skips most of the work elsewhere.
 *
 * @param channels planar audio, all channels the same length.
 * @param floorLinear ≥ 0; 0 computes every value exactly.
 * @returns Float32Array of the channels' length.
 */
export function truePeakEnvelope(
  channels: readonly Float32Array[],
  interpolator: TruePeakInterpolator,
  floorLinear: number,
): Float32Array {
  const length = channels[0]?.length ?? 0;
  const envelope = new Float32Array(length);
  for (const x of channels) {
    for (let m = 0; m < length; m++) {
      const a = Math.abs(x[m]!);
      if (a > envelope[m]!) envelope[m] = a;
    }
  }
  const { phases, tapsPerPhase, gainBound, factor } = interpolator;
  if (factor === 1) return envelope;
  const delay = interpolator.latencySamples;
  const span = tapsPerPhase - 1;
  const chunk = 32;
  for (const x of channels) {
    // Branch p at input index n gives the value at time n − delay + p/factor, i.e. between
    // samples m = n − delay and m + 1. Inputs outside the programme are zero.
    for (let start = 0; start < length + delay; start += chunk) {
      const end = Math.min(length + delay, start + chunk);
      let localMax = 0;
      for (let i = Math.max(0, start - span); i < Math.min(length, end); i++) {
        const a = Math.abs(x[i]!);
        if (a > localMax) localMax = a;
      }
      if (localMax * gainBound <= floorLinear) continue;
      for (let n = start; n < end; n++) {
        const m = n - delay;
        if (m < 0 || m >= length) continue;
        let best = envelope[m]!;
        const kMax = Math.min(tapsPerPhase, n + 1);
        for (let p = 1; p < factor; p++) {
          const h = phases[p]!;
          let acc = 0;
          for (let k = n >= length ? n - length + 1 : 0; k < kMax; k++) acc += h[k]! * x[n - k]!;
          const a = Math.abs(acc);
          if (a > best) best = a;
        }
        envelope[m] = best;
      }
    }
  }
  return envelope;
}
