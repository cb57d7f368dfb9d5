import { LacquerError } from '@lacquer/errors';

/**
 * Oversampling factor for true-peak detection at a sample rate: 4× below 96 kHz, 2× below
 * 192 kHz, none above (ITU-R BS.1770-4 Annex 2 asks for at least 4× at 48 kHz; the
 * inter-sample overshoot a lower factor misses shrinks as the rate rises).
 */
export function truePeakOversamplingFactor(sampleRateHz: number): number {
  if (sampleRateHz < 96000) return 4;
  if (sampleRateHz < 192000) return 2;
  return 1;
}

/** Taps of each polyphase branch; 12 per phase is BS.1770-4 Annex 2's 48-tap order at 4×. */
const TAPS_PER_PHASE = 12;

/**
 * A polyphase interpolator that estimates the signal between samples: branch p applied at
 * input sample n gives the band-limited value at time n − latency + p/factor. It is a Hann-windowed sinc with
 * 12·factor + 1 taps whose centre lies on a sample, so phase 0 reproduces the input exactly
 * (the design libebur128 uses; BS.1770-4 Annex 2 allows any such filter).
 */
export interface TruePeakInterpolator {
  readonly factor: number;
  /** Branch coefficients, `phases[p][k]` multiplies x[n − k]. */
  readonly phases: readonly Float64Array[];
  /** Taps per branch (history length needed before a value is exact). */
  readonly tapsPerPhase: number;
  /** Largest Σ|h| over the branches: |interpolated| ≤ gain bound × max|x| in its span. */
  readonly gainBound: number;
  /** Group delay in input samples. */
  readonly latencySamples: number;
}

/** Builds the interpolator for `factor` (1, 2 or 4; 1 is the identity). */
export function createTruePeakInterpolator(factor: number): TruePeakInterpolator {
  if (![1, 2, 4, 8].includes(factor)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', `oversampling factor ${factor} is not 1, 2, 4 or 8`);
  }
  if (factor === 1) {
    return { factor, phases: [Float64Array.of(1)], tapsPerPhase: 1, gainBound: 1, latencySamples: 0 };
  }
  const length = TAPS_PER_PHASE * factor + 1;
  const centre = (length - 1) / 2;
  const tapsPerPhase = TAPS_PER_PHASE + 1;
  const phases = Array.from({ length: factor }, () => new Float64Array(tapsPerPhase));
  for (let j = 0; j < length; j++) {
    const m = j - centre;
    const x = (Math.PI * m) / factor;
    const sinc = m === 0 ? 1 : Math.sin(x) / x;
    const hann = 0.5 * (1 - Math.cos((2 * Math.PI * j) / (length - 1)));
    // Upsampled index j sits in branch j mod factor at input lag ⌊j / factor⌋.
    phases[j % factor]![Math.floor(j / factor)] = sinc * hann;
  }
  const gainBound = Math.max(...phases.map((h) => h.reduce((sum, c) => sum + Math.abs(c), 0)));
  return { factor, phases, tapsPerPhase, gainBound, latencySamples: centre / factor };
}
