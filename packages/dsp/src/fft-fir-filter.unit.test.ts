import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { createFftFirFilter, fftFrameLengthSamples } from './fft-fir-filter.ts';
import {
  directZeroPhase,
  maxDifference,
  randomSignal,
  randomSymmetricTaps,
} from './test-support/fir-reference.ts';

const INVALID = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });

/**
 * FFT convolution against a float64 direct sum: the output is rounded to float32 (2⁻²⁴
 * relative, at most 6·10⁻⁸ here since |y| ≤ 1) and float64 FFT round-off is about 10⁻¹³,
 * so 10⁻⁶ leaves a wide margin.
 */
const CONVOLUTION_TOLERANCE = 1e-6;

/** Streams `x` followed by `latency` zeros through a fresh filter in blocks of the given sizes (cycled). */
function stream(taps: Float32Array, x: Float32Array, blockSizes: readonly number[]): Float32Array {
  const filter = createFftFirFilter(taps);
  const input = new Float32Array(x.length + filter.latencySamples);
  input.set(x);
  const output = new Float32Array(input.length);
  let offset = 0;
  for (let b = 0; offset < input.length; b++) {
    const count = Math.min(blockSizes[b % blockSizes.length]!, input.length - offset);
    filter.process(input.subarray(offset, offset + count), output.subarray(offset, offset + count));
    offset += count;
  }
  return output;
}

describe('fftFrameLengthSamples', () => {
  it('a power of two ≥ 4·(L − 1) and ≥ 4096, smaller for a short signal', () => {
    expect(fftFrameLengthSamples(31)).toBe(4096);
    expect(fftFrameLengthSamples(4097)).toBe(16_384);
    expect(fftFrameLengthSamples(16_385)).toBe(65_536);
    expect(fftFrameLengthSamples(16_385, 100)).toBe(32_768);
    expect(fftFrameLengthSamples(31, 5)).toBe(64);
  });
});

describe('createFftFirFilter', () => {
  it.each([31, 257, 4097])(
    'differential: %i taps match direct convolution, delayed by latencySamples (odd block sizes)',
    (lengthSamples) => {
      const taps = randomSymmetricTaps(lengthSamples, lengthSamples);
      const x = randomSignal(3 * fftFrameLengthSamples(lengthSamples) + 77, 7);
      const output = stream(taps, x, [1, 1000, 4095, 7, 16_384, 333]);
      const latency = createFftFirFilter(taps).latencySamples;
      expectWithin(maxDifference(output, directZeroPhase(x, taps), latency), 0, CONVOLUTION_TOLERANCE);
      // Before the first input has come through: zeros.
      expect(output.subarray(0, latency - (lengthSamples - 1) / 2).every((v) => v === 0)).toBe(true);
    },
  );

  it('latencySamples is the frame length less the taps’ half length', () => {
    expect(createFftFirFilter(randomSymmetricTaps(16_385, 1)).latencySamples).toBe(65_536 - 8192);
    expect(createFftFirFilter(randomSymmetricTaps(31, 1)).latencySamples).toBe(4096 - 15);
  });

  it('property: any block size gives the same output as one block, in place too', () => {
    const taps = randomSymmetricTaps(257, 3);
    const x = randomSignal(20_000, 11);
    const oneBlock = stream(taps, x, [Number.MAX_SAFE_INTEGER]);
    // The same frames are transformed whatever the blocks: identical, not merely close.
    expectWithin(maxDifference(stream(taps, x, [1, 2, 3, 4093]), oneBlock), 0, 0);
    const filter = createFftFirFilter(taps);
    const inPlace = new Float32Array(oneBlock.length);
    inPlace.set(x);
    for (let offset = 0; offset < inPlace.length; offset += 999) {
      const block = inPlace.subarray(offset, Math.min(offset + 999, inPlace.length));
      filter.process(block, block);
    }
    expectWithin(maxDifference(inPlace, oneBlock), 0, 0);
  });

  it('reset returns to silence: the same output as a new filter', () => {
    const taps = randomSymmetricTaps(31, 5);
    const x = randomSignal(10_000, 13);
    const filter = createFftFirFilter(taps);
    const first = new Float32Array(x.length);
    filter.process(x, first);
    filter.reset();
    const second = new Float32Array(x.length);
    filter.process(x, second);
    expectWithin(maxDifference(second, first), 0, 0);
  });

  it('edge: a unit impulse is a bit-exact delay; an empty block is a no-op', () => {
    const taps = new Float32Array(63);
    taps[31] = 1;
    const x = randomSignal(9000, 17);
    const output = stream(taps, x, [500]);
    const latency = createFftFirFilter(taps).latencySamples;
    // Exactness is the requirement (an identity must not change a bit), so toBe.
    for (let n = 0; n < x.length; n++) expect(output[n + latency]).toBe(x[n]);
    expect(() => createFftFirFilter(taps).process(new Float32Array(0), new Float32Array(0))).not.toThrow();
  });

  it('rejects taps of even length, asymmetric or non-finite taps, and an output of another length', () => {
    expect(() => createFftFirFilter(new Float32Array(4))).toThrow(INVALID);
    expect(() => createFftFirFilter(new Float32Array(0))).toThrow(INVALID);
    expect(() => createFftFirFilter(new Float32Array([0.5, 1, 0.25]))).toThrow(INVALID);
    expect(() => createFftFirFilter(new Float32Array([Number.NaN, 1, Number.NaN]))).toThrow(INVALID);
    const filter = createFftFirFilter(new Float32Array([0.25, 0.5, 0.25]));
    expect(() => filter.process(new Float32Array(8), new Float32Array(7))).toThrow(INVALID);
  });
});
