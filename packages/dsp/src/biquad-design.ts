import { LacquerError } from '@lacquer/errors';
import type { BiquadCoefficients } from './biquad-coefficients.ts';

// Coefficient design after Robert Bristow-Johnson, "Cookbook formulae for audio EQ biquad
// filter coefficients" (the Audio EQ Cookbook, as published by the W3C Audio Working Group):
// analog prototypes mapped with the bilinear transform, pre-warped so that the design
// frequency lands exactly where asked. Every function returns a0-normalized coefficients.

/** Parameters shared by every design: where the filter acts and at what rate. */
export interface BiquadDesignOptions {
  /** 8000 to 768000 Hz. */
  readonly sampleRateHz: number;
  /**
   * Design frequency f0 in Hz, above 0 and below Nyquist (`sampleRateHz / 2`): the centre
   * of a peaking filter, the midpoint of a shelf, the corner of a pass filter.
   */
  readonly frequencyHz: number;
}

/** Parameters of {@link designLowShelf} and {@link designHighShelf}. */
export interface ShelfDesignOptions extends BiquadDesignOptions {
  /** Shelf gain in dB, −40 to +40 (reached on the plateau; half of it at `frequencyHz`). */
  readonly gainDb: number;
  /**
   * Shelf slope S, above 0 up to 1 (1 = the steepest slope that stays monotonic, the
   * default). Mutually exclusive with `q`.
   */
  readonly slope?: number;
  /** Q of the shelf transition, 0.1 to 10, instead of `slope`. */
  readonly q?: number;
}

/** Parameters of {@link designPeaking}. */
export interface PeakingDesignOptions extends BiquadDesignOptions {
  /** Gain at `frequencyHz` in dB, −40 to +40. */
  readonly gainDb: number;
  /** Q, 0.1 to 100 (the band edges lie where the gain is half of `gainDb`, in dB). */
  readonly q: number;
}

/** Parameters of {@link designHighPass} and {@link designLowPass}. */
export interface PassDesignOptions extends BiquadDesignOptions {
  /** Q, 0.1 to 100 (the magnitude at `frequencyHz` is exactly Q; 1/√2 = Butterworth, −3.01 dB). */
  readonly q: number;
}

/** Parameters of {@link designButterworthHighPass}. */
export interface ButterworthDesignOptions extends BiquadDesignOptions {
  /** Filter order, 1 to 8 (slope 6·order dB per octave). */
  readonly order: number;
}

const MIN_SAMPLE_RATE_HZ = 8000;
const MAX_SAMPLE_RATE_HZ = 768000;
const MAX_GAIN_DB = 40;
const MIN_Q = 0.1;
const MAX_Q = 100;
const MAX_SHELF_Q = 10;
const MAX_BUTTERWORTH_ORDER = 8;

function invalid(message: string, details: Record<string, unknown>): LacquerError {
  return new LacquerError('DSP_INVALID_PARAMETER', message, { details });
}

function checkInRange(name: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw invalid(`${name} ${value} is outside ${min}…${max}`, { [name]: value });
  }
}

/** Validates rate and frequency and returns ω0 = 2π·f0/fs. */
function angularFrequency(options: BiquadDesignOptions): number {
  const { sampleRateHz, frequencyHz } = options;
  checkInRange('sampleRateHz', sampleRateHz, MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ);
  if (!(frequencyHz > 0 && frequencyHz < sampleRateHz / 2)) {
    throw invalid(`frequencyHz ${frequencyHz} is not between 0 and Nyquist (${sampleRateHz / 2} Hz)`, {
      frequencyHz,
      sampleRateHz,
    });
  }
  return (2 * Math.PI * frequencyHz) / sampleRateHz;
}

function normalize(
  b0: number,
  b1: number,
  b2: number,
  a0: number,
  a1: number,
  a2: number,
): BiquadCoefficients {
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

/**
 * The cookbook's shelf terms: A = 10^(gainDb/40), and α from Q, or from the slope S with
 * 1/Q = √((A + 1/A)(1/S − 1) + 2).
 */
function shelfTerms(options: ShelfDesignOptions): { w0: number; amplitude: number; alpha: number } {
  const w0 = angularFrequency(options);
  checkInRange('gainDb', options.gainDb, -MAX_GAIN_DB, MAX_GAIN_DB);
  if (options.q !== undefined && options.slope !== undefined) {
    throw invalid('give a shelf either q or slope, not both', { q: options.q, slope: options.slope });
  }
  const amplitude = 10 ** (options.gainDb / 40);
  let alpha: number;
  if (options.q !== undefined) {
    checkInRange('q', options.q, MIN_Q, MAX_SHELF_Q);
    alpha = Math.sin(w0) / (2 * options.q);
  } else {
    const slope = options.slope ?? 1;
    if (!(slope > 0 && slope <= 1)) throw invalid(`slope ${slope} is not in (0, 1]`, { slope });
    alpha = (Math.sin(w0) / 2) * Math.sqrt((amplitude + 1 / amplitude) * (1 / slope - 1) + 2);
  }
  return { w0, amplitude, alpha };
}

/**
 * Low shelf (Audio EQ Cookbook "lowShelf"): `gainDb` at DC, 0 dB at Nyquist, `gainDb / 2`
 * exactly at `frequencyHz`.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a parameter outside its documented range,
 *   or both `q` and `slope`.
 */
export function designLowShelf(options: ShelfDesignOptions): BiquadCoefficients {
  const { w0, amplitude: a, alpha } = shelfTerms(options);
  const cos = Math.cos(w0);
  const twoSqrtAAlpha = 2 * Math.sqrt(a) * alpha;
  return normalize(
    a * (a + 1 - (a - 1) * cos + twoSqrtAAlpha),
    2 * a * (a - 1 - (a + 1) * cos),
    a * (a + 1 - (a - 1) * cos - twoSqrtAAlpha),
    a + 1 + (a - 1) * cos + twoSqrtAAlpha,
    -2 * (a - 1 + (a + 1) * cos),
    a + 1 + (a - 1) * cos - twoSqrtAAlpha,
  );
}

/**
 * High shelf (Audio EQ Cookbook "highShelf"): 0 dB at DC, `gainDb` at Nyquist, `gainDb / 2`
 * exactly at `frequencyHz`.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` as {@link designLowShelf}.
 */
export function designHighShelf(options: ShelfDesignOptions): BiquadCoefficients {
  const { w0, amplitude: a, alpha } = shelfTerms(options);
  const cos = Math.cos(w0);
  const twoSqrtAAlpha = 2 * Math.sqrt(a) * alpha;
  return normalize(
    a * (a + 1 + (a - 1) * cos + twoSqrtAAlpha),
    -2 * a * (a - 1 + (a + 1) * cos),
    a * (a + 1 + (a - 1) * cos - twoSqrtAAlpha),
    a + 1 - (a - 1) * cos + twoSqrtAAlpha,
    2 * (a - 1 - (a + 1) * cos),
    a + 1 - (a - 1) * cos - twoSqrtAAlpha,
  );
}

/**
 * Peaking (bell) EQ (Audio EQ Cookbook "peakingEQ"): exactly `gainDb` at `frequencyHz`,
 * 0 dB at DC and Nyquist.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a parameter outside its documented range.
 */
export function designPeaking(options: PeakingDesignOptions): BiquadCoefficients {
  const w0 = angularFrequency(options);
  checkInRange('gainDb', options.gainDb, -MAX_GAIN_DB, MAX_GAIN_DB);
  checkInRange('q', options.q, MIN_Q, MAX_Q);
  const a = 10 ** (options.gainDb / 40);
  const alpha = Math.sin(w0) / (2 * options.q);
  const cos = Math.cos(w0);
  return normalize(1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a);
}

/**
 * Second-order high-pass (Audio EQ Cookbook "HPF"): 12 dB per octave below `frequencyHz`,
 * magnitude exactly Q at `frequencyHz`, unity at Nyquist.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a parameter outside its documented range.
 */
export function designHighPass(options: PassDesignOptions): BiquadCoefficients {
  const w0 = angularFrequency(options);
  checkInRange('q', options.q, MIN_Q, MAX_Q);
  const alpha = Math.sin(w0) / (2 * options.q);
  const cos = Math.cos(w0);
  return normalize((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

/**
 * Second-order low-pass (Audio EQ Cookbook "LPF"): 12 dB per octave above `frequencyHz`,
 * magnitude exactly Q at `frequencyHz`, unity at DC.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a parameter outside its documented range.
 */
export function designLowPass(options: PassDesignOptions): BiquadCoefficients {
  const w0 = angularFrequency(options);
  checkInRange('q', options.q, MIN_Q, MAX_Q);
  const alpha = Math.sin(w0) / (2 * options.q);
  const cos = Math.cos(w0);
  return normalize((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

/**
 * Butterworth high-pass of any order from 1 to 8, as cascaded sections for
 * `createBiquadCascade`: the DC/subsonic filter at the head of the mastering chain (e.g.
 * order 4 at 20–30 Hz, 24 dB per octave).
 *
 * Each pole pair k = 1…⌊order/2⌋ is a cookbook HPF with Q_k = 1 / (2·cos φ_k), φ_k the pair's
 * angle from the negative real axis: (2k − 1)·π / (2·order) for an even order, k·π / order for
 * an odd one, which adds the real pole as a first-order bilinear high-pass (b2 = a2 = 0). All share
 * the same pre-warped corner, so the cascade is the bilinear transform of the analog
 * Butterworth: |H|² = 1 / (1 + (tan(ω0/2) / tan(ω/2))^(2·order)), exactly −3.01 dB at
 * `frequencyHz` and maximally flat above it.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an order outside 1…8 or a bad rate/frequency.
 */
export function designButterworthHighPass(options: ButterworthDesignOptions): readonly BiquadCoefficients[] {
  const w0 = angularFrequency(options);
  const { order } = options;
  if (!(Number.isInteger(order) && order >= 1 && order <= MAX_BUTTERWORTH_ORDER)) {
    throw invalid(`order ${order} is not an integer in 1…${MAX_BUTTERWORTH_ORDER}`, { order });
  }
  const sections: BiquadCoefficients[] = [];
  for (let k = 1; k <= Math.floor(order / 2); k++) {
    const angle = ((2 * k - 1 + (order % 2)) * Math.PI) / (2 * order);
    const q = 1 / (2 * Math.cos(angle));
    sections.push(
      designHighPass({ sampleRateHz: options.sampleRateHz, frequencyHz: options.frequencyHz, q }),
    );
  }
  if (order % 2 === 1) {
    // H(s) = s / (s + 1) with s = (1 − z⁻¹) / (K·(1 + z⁻¹)), K = tan(ω0/2).
    const k = Math.tan(w0 / 2);
    sections.push({ b0: 1 / (1 + k), b1: -1 / (1 + k), b2: 0, a1: (k - 1) / (k + 1), a2: 0 });
  }
  return sections;
}
