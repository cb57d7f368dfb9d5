import { describe, expect, it } from 'vitest';
import { findNonFiniteSample } from './find-non-finite-sample.ts';

describe('findNonFiniteSample', () => {
  it('gives −1 for finite samples, over full scale included', () => {
    expect(findNonFiniteSample(new Float32Array([0, 1.5, -3, 3.4e38, -0]))).toBe(-1);
    expect(findNonFiniteSample(new Float32Array(0))).toBe(-1);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('finds the first %s', (bad) => {
    const samples = new Float32Array(1000).fill(0.25);
    samples[613] = bad;
    samples[900] = Number.NaN;
    expect(findNonFiniteSample(samples)).toBe(613);
  });
});
