import { LacquerError } from '@lacquer/errors';
import type { BiquadCoefficients } from './biquad-coefficients.ts';
import type { Processor } from './processor.ts';

/** Parameters of {@link createBiquadCascade}. */
export interface BiquadCascadeOptions {
  /** Sections run in order (none: the cascade copies input to output). Each must be stable. */
  readonly sections: readonly BiquadCoefficients[];
  /** 1 to 8; every channel gets the same filter and its own state. */
  readonly channelCount: number;
  /** 8000 to 768000 Hz: the rate the sections were designed for. */
  readonly sampleRateHz: number;
}

/**
 * State below this magnitude is flushed to zero at the end of a block: an IIR ringing out in
 * digital silence would otherwise reach float64 subnormals, which x86 computes about a
 * hundred times slower. It is 10⁻¹⁰⁰, so far under the smallest float32 (1.4·10⁻⁴⁵) that
 * the output samples, and so block-size invariance, are unaffected.
 */
const STATE_FLUSH_LIMIT = 1e-100;

/**
 * Creates a cascade of biquad sections as a {@link Processor}: transposed direct form II with
 * float64 state (two state values per section; sections pass float64 values to each other,
 * so the signal is rounded to float32 only once, at the output).
 *
 * Latency 0 samples. `process` accepts any block size (results are identical to one block),
 * works in place, and does not allocate.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a rate or channel count out of range, a
 *   non-finite coefficient, or a section whose poles are not strictly inside the unit circle
 *   (|a2| < 1 and |a1| < 1 + a2).
 */
export function createBiquadCascade(options: BiquadCascadeOptions): Processor {
  const { sampleRateHz, channelCount } = options;
  if (
    !(sampleRateHz >= 8000 && sampleRateHz <= 768000) ||
    !(Number.isInteger(channelCount) && channelCount >= 1 && channelCount <= 8)
  ) {
    throw new LacquerError('DSP_INVALID_PARAMETER', 'a biquad cascade needs 8–768 kHz and 1–8 channels', {
      details: { sampleRateHz, channelCount },
    });
  }
  options.sections.forEach((s, index) => {
    const finite = [s.b0, s.b1, s.b2, s.a1, s.a2].every(Number.isFinite);
    if (!finite || !(Math.abs(s.a2) < 1 && Math.abs(s.a1) < 1 + s.a2)) {
      throw new LacquerError('DSP_INVALID_PARAMETER', `biquad section ${index} is not finite and stable`, {
        details: { index, section: { ...s } },
      });
    }
  });
  // b0 b1 b2 a1 a2 per section, flat for the inner loop.
  const sectionCount = options.sections.length;
  const coefficients = new Float64Array(5 * sectionCount);
  options.sections.forEach((s, index) => {
    coefficients.set([s.b0, s.b1, s.b2, s.a1, s.a2], 5 * index);
  });
  // Per channel: s1, s2 of each section.
  const states = Array.from({ length: channelCount }, () => new Float64Array(2 * sectionCount));

  return {
    latencySamples: 0,
    process(input, output) {
      const length = input[0]?.length ?? 0;
      for (let c = 0; c < channelCount; c++) {
        const x = input[c]!;
        const y = output[c]!;
        const state = states[c]!;
        if (sectionCount === 0) {
          if (x !== y) y.set(x);
          continue;
        }
        // The first section reads the Float32 input; the others read and write a float64 value
        // per sample, so the cascade never rounds to float32 between sections.
        for (let i = 0; i < length; i++) {
          let v = x[i]!;
          for (let s = 0; s < sectionCount; s++) {
            const k = 5 * s;
            const j = 2 * s;
            const out = coefficients[k]! * v + state[j]!;
            state[j] = coefficients[k + 1]! * v - coefficients[k + 3]! * out + state[j + 1]!;
            state[j + 1] = coefficients[k + 2]! * v - coefficients[k + 4]! * out;
            v = out;
          }
          y[i] = v;
        }
        for (let j = 0; j < state.length; j++) {
          if (Math.abs(state[j]!) < STATE_FLUSH_LIMIT) state[j] = 0;
        }
      }
    },
    reset() {
      for (const state of states) state.fill(0);
    },
  };
}

/**
 * Magnitude response in dB of one section or a cascade at `frequencyHz` (0 to Nyquist), for
 * tests and plots. Uses the Audio EQ Cookbook's φ = sin²(ω/2) form,
 * 10·log10[(b0+b1+b2)² − 4(b0b1 + 4b0b2 + b1b2)φ + 16b0b2φ²] minus the same in a (a0 = 1),
 * which keeps its precision at low frequencies where the cos-based form cancels.
 * A zero of the response gives `-Infinity`.
 */
export function biquadMagnitudeDb(
  sections: BiquadCoefficients | readonly BiquadCoefficients[],
  frequencyHz: number,
  sampleRateHz: number,
): number {
  const list: readonly BiquadCoefficients[] = Array.isArray(sections)
    ? sections
    : [sections as BiquadCoefficients];
  const phi = Math.sin((Math.PI * frequencyHz) / sampleRateHz) ** 2;
  let totalDb = 0;
  for (const { b0, b1, b2, a1, a2 } of list) {
    const numerator =
      (b0 + b1 + b2) ** 2 - 4 * (b0 * b1 + 4 * b0 * b2 + b1 * b2) * phi + 16 * b0 * b2 * phi * phi;
    const denominator = (1 + a1 + a2) ** 2 - 4 * (a1 + 4 * a2 + a1 * a2) * phi + 16 * a2 * phi * phi;
    totalDb += 10 * Math.log10(Math.max(0, numerator)) - 10 * Math.log10(denominator);
  }
  return totalDb;
}
