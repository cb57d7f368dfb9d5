import { isLacquerError } from '@lacquer/errors';
import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { createTpdfDither } from './tpdf-dither.ts';

/** Samples per statistical case: 2^18, so that the tolerances below sit at about 5 standard errors. */
const N = 2 ** 18;
const LSB_16 = 1 / 32768;

/**
 * TPDF of ±1 LSB plus rounding gives a total error of variance 1/6 + 1/12 = 1/4 LSB² for any
 * input (Lipshitz, Wannamaker & Vanderkooy 1992, §4). The mean of N errors has a standard error
 * of √(0.25/N) ≈ 0.001 LSB; the variance estimate one of √(Var(e²)/N) ≤ √(0.1/N) ≈ 0.0006 LSB².
 */
const MEAN_TOLERANCE_LSB = 0.006;
const VARIANCE_TOLERANCE_LSB2 = 0.004;
/** Correlation of N independent pairs has a standard error of 1/√N ≈ 0.002. */
const CORRELATION_TOLERANCE = 0.01;

function constant(valueLinear: number, lengthSamples = N): Float32Array {
  return new Float32Array(lengthSamples).fill(valueLinear);
}

/** Error of each output sample against the input, in LSB. */
function errorsLsb(input: Float32Array, output: Float32Array, lsbLinear: number): Float64Array {
  const errors = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) errors[i] = (output[i]! - input[i]!) / lsbLinear;
  return errors;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function variance(values: Float64Array): number {
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return sum / values.length;
}

function correlation(a: Float64Array, b: Float64Array): number {
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function mismatches(a: Float32Array, b: Float32Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (Object.is(a[i], b[i]) === false) count++;
  return count;
}

describe('createTpdfDither', () => {
  // property (Lipshitz et al. 1992): first and second moments of the error do not depend on the input
  it.each([0, 0.25, 0.5, 0.75, 0.999])(
    'error has mean 0 and variance 1/4 LSB² at %s LSB above a step',
    (offsetLsb) => {
      const dither = createTpdfDither({ bitDepth: 16, seed: 1 });
      const input = constant((1234 + offsetLsb) * LSB_16);
      const output = new Float32Array(N);
      dither.process([input], [output]);
      const errors = errorsLsb(input, output, LSB_16);
      expectWithin(mean(errors), 0, MEAN_TOLERANCE_LSB, 'mean error (LSB)');
      expectWithin(variance(errors), 0.25, VARIANCE_TOLERANCE_LSB2, 'error variance (LSB²)');
    },
  );

  // property: output on the 16-bit grid, error never beyond 1.5 LSB (±1 dither + ±0.5 rounding)
  it('puts every sample on the grid, within 1.5 LSB of the input', () => {
    const dither = createTpdfDither({ bitDepth: 16, seed: 7 });
    const input = new Float32Array(N);
    for (let i = 0; i < N; i++) input[i] = 0.5 * Math.sin(i * 0.001);
    const output = new Float32Array(N);
    dither.process([input], [output]);
    let offGrid = 0;
    let peakErrorLsb = 0;
    for (let i = 0; i < N; i++) {
      const steps = output[i]! * 32768;
      if (steps !== Math.round(steps)) offGrid++;
      peakErrorLsb = Math.max(peakErrorLsb, Math.abs(output[i]! - input[i]!) / LSB_16);
    }
    expect(offGrid).toBe(0);
    expect(peakErrorLsb).toBeLessThanOrEqual(1.5);
  });

  // property: the dither itself peaks at ±1 LSB with a triangular density. For input on the grid the
  // error is round(d) ∈ {−1, 0, +1}, and P(|d| ≥ 0.5) = 2 · ½ · 0.5² = 1/4 for a triangle on (−1, 1).
  it('has a triangular density of ±1 LSB peak', () => {
    const dither = createTpdfDither({ bitDepth: 16, seed: 3 });
    const input = constant(-42 * LSB_16);
    const output = new Float32Array(N);
    dither.process([input], [output]);
    const errors = errorsLsb(input, output, LSB_16);
    const counts = new Map<number, number>();
    for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([-1, 0, 1]);
    // Binomial standard error of a proportion near 1/8 over N: √(0.11/N) ≈ 0.0006.
    expectWithin(counts.get(1)! / N, 1 / 8, 0.004, 'P(+1 LSB)');
    expectWithin(counts.get(-1)! / N, 1 / 8, 0.004, 'P(−1 LSB)');
  });

  it('gives white noise, independent between channels', () => {
    const dither = createTpdfDither({ bitDepth: 16, seed: 11 });
    const input = constant(0.3 * LSB_16);
    const left = new Float32Array(N);
    const right = new Float32Array(N);
    dither.process([input, input], [left, right]);
    const errorsLeft = errorsLsb(input, left, LSB_16);
    const errorsRight = errorsLsb(input, right, LSB_16);
    expectWithin(correlation(errorsLeft, errorsRight), 0, CORRELATION_TOLERANCE, 'left/right correlation');
    expectWithin(
      correlation(errorsLeft.subarray(1), errorsLeft.subarray(0, N - 1)),
      0,
      CORRELATION_TOLERANCE,
      'lag-1 autocorrelation',
    );
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const input = new Float32Array(4096);
    for (let i = 0; i < input.length; i++) input[i] = 0.1 * Math.sin(i * 0.05);
    const run = (seed: number) => {
      const output = new Float32Array(input.length);
      createTpdfDither({ bitDepth: 16, seed }).process([input], [output]);
      return output;
    };
    expect(mismatches(run(5), run(5))).toBe(0);
    expect(mismatches(run(5), run(6))).toBeGreaterThan(input.length / 8);
  });

  // property: any block size gives the same result as one block; reset restarts the sequence
  it.each([1, 7, 4096])('gives the same output in blocks of %i samples, in place', (blockLength) => {
    const input = new Float32Array(10_000);
    for (let i = 0; i < input.length; i++) input[i] = 0.25 * Math.sin(i * 0.01);
    const whole = new Float32Array(input.length);
    const dither = createTpdfDither({ bitDepth: 16, seed: 9 });
    dither.process([input, input], [whole, new Float32Array(input.length)]);
    dither.reset();
    const blocked = input.slice();
    const other = input.slice();
    for (let start = 0; start < input.length; start += blockLength) {
      const end = Math.min(start + blockLength, input.length);
      const views = [blocked.subarray(start, end), other.subarray(start, end)];
      dither.process(views, views);
    }
    expect(mismatches(whole, blocked)).toBe(0);
  });

  it('saturates at the ends of the word', () => {
    const dither = createTpdfDither({ bitDepth: 16, seed: 2 });
    const input = new Float32Array([1.5, 1, -1, -1.5]);
    const output = new Float32Array(4);
    dither.process([input], [output]);
    expect(output[0]).toBe(32767 / 32768);
    expect(output[3]).toBe(-1);
    expect(output[1]!).toBeLessThanOrEqual(32767 / 32768);
    expect(output[2]!).toBeGreaterThanOrEqual(-1);
  });

  it('quantizes to 24 bits with the same statistics', () => {
    const lsb24 = 2 ** -23;
    const dither = createTpdfDither({ bitDepth: 24, seed: 4 });
    expect(dither.lsbLinear).toBe(lsb24);
    const input = constant(1000.4 * lsb24);
    const output = new Float32Array(N);
    dither.process([input], [output]);
    const errors = errorsLsb(input, output, lsb24);
    expectWithin(mean(errors), 0, MEAN_TOLERANCE_LSB, 'mean error (LSB)');
    expectWithin(variance(errors), 0.25, VARIANCE_TOLERANCE_LSB2, 'error variance (LSB²)');
  });

  it.each([
    { bitDepth: 7, seed: 0 },
    { bitDepth: 25, seed: 0 },
    { bitDepth: 16.5, seed: 0 },
    { bitDepth: 16, seed: -1 },
    { bitDepth: 16, seed: 2 ** 32 },
  ])('rejects %o with DSP_INVALID_PARAMETER', (options) => {
    let caught: unknown;
    try {
      createTpdfDither(options);
    } catch (error) {
      caught = error;
    }
    expect(isLacquerError(caught, 'DSP_INVALID_PARAMETER')).toBe(true);
  });
});
