import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { designPeaking } from './biquad-design.ts';
import { biquadMagnitudeDb } from './biquad-filter.ts';
import { fftFrameLengthSamples } from './fft-fir-filter.ts';
import { designLinearPhaseFir } from './linear-phase-fir.ts';
import { applyFirInPlace, applyMidSideFirInPlace } from './mid-side-fir.ts';
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
/** Float32 rounding of (l + r)/2 computed two ways (each within 2⁻²⁴ relative of |x| ≤ 1). */
const MONO_FOLD_TOLERANCE = 2 ** -22;

function unitImpulse(lengthSamples: number): Float32Array {
  const taps = new Float32Array(lengthSamples);
  taps[(lengthSamples - 1) / 2] = 1;
  return taps;
}

/** Lengths around the frame hop (N − L + 1) and far below the filter: every block boundary case. */
function testLengths(tapsLengthSamples: number): number[] {
  const hop = fftFrameLengthSamples(tapsLengthSamples) - tapsLengthSamples + 1;
  return [1, 5, (tapsLengthSamples - 1) / 2, tapsLengthSamples + 2, hop - 1, hop, hop + 1, 3 * hop + 17];
}

describe('applyFirInPlace', () => {
  it.each([31, 257, 4097])(
    'differential: %i taps match direct zero-phase convolution (lengths around block boundaries)',
    (tapsLengthSamples) => {
      const taps = randomSymmetricTaps(tapsLengthSamples, tapsLengthSamples);
      for (const lengthSamples of testLengths(tapsLengthSamples)) {
        const x = randomSignal(lengthSamples, lengthSamples);
        const expected = directZeroPhase(x, taps);
        applyFirInPlace(x, taps);
        expectWithin(maxDifference(x, expected), 0, CONVOLUTION_TOLERANCE, `${lengthSamples} samples`);
      }
    },
  );

  it('spec: an impulse at n stays centred at n (latency compensated)', () => {
    const sampleRateHz = 48_000;
    const bell = designPeaking({ sampleRateHz, frequencyHz: 1000, gainDb: 6, q: 1 });
    const taps = designLinearPhaseFir({
      sampleRateHz,
      lengthSamples: 1025,
      gainDbAt: (f) => biquadMagnitudeDb(bell, f, sampleRateHz),
    });
    const at = 3000;
    const x = new Float32Array(7000);
    x[at] = 1;
    applyFirInPlace(x, taps);
    let peak = 0;
    for (let n = 0; n < x.length; n++) if (Math.abs(x[n]!) > Math.abs(x[peak]!)) peak = n;
    expect(peak).toBe(at);
    // Symmetric around n: the taps themselves, centred there.
    for (let k = 1; k <= 512; k++) expectWithin(x[at + k]! - x[at - k]!, 0, CONVOLUTION_TOLERANCE, `±${k}`);
    expectWithin(maxDifference(x.subarray(at - 512, at + 513), taps), 0, CONVOLUTION_TOLERANCE);
  });

  it('edge: a unit impulse returns without touching the data (bit-exact, NaN and -0 kept)', () => {
    const x = randomSignal(1000, 3);
    x[10] = Number.NaN;
    x[11] = -0;
    const before = x.slice();
    applyFirInPlace(x, unitImpulse(16_385));
    // Exactness is the requirement (amount 0 % must not change a bit), so Object.is.
    x.forEach((v, n) => {
      expect(Object.is(v, before[n]), `sample ${n}`).toBe(true);
    });
  });

  it('edge: an empty channel is a no-op; invalid taps are rejected', () => {
    expect(() => applyFirInPlace(new Float32Array(0), randomSymmetricTaps(31, 1))).not.toThrow();
    expect(() => applyFirInPlace(new Float32Array(8), new Float32Array(2))).toThrow(INVALID);
    expect(() => applyFirInPlace(new Float32Array(8), new Float32Array([1, 2, 3]))).toThrow(INVALID);
  });
});

describe('applyMidSideFirInPlace', () => {
  it.each([31, 257, 4097])(
    'differential: %i taps, M and S filtered as direct convolution of (L±R)/2 (lengths around block boundaries)',
    (tapsLengthSamples) => {
      const midTaps = randomSymmetricTaps(tapsLengthSamples, 100 + tapsLengthSamples);
      const sideTaps = randomSymmetricTaps(tapsLengthSamples, 200 + tapsLengthSamples);
      for (const lengthSamples of testLengths(tapsLengthSamples)) {
        const left = randomSignal(lengthSamples, 2 * lengthSamples + 1, 0.5);
        const right = randomSignal(lengthSamples, 2 * lengthSamples + 2, 0.5);
        const mid = Float64Array.from(left, (l, n) => (l + right[n]!) / 2);
        const side = Float64Array.from(left, (l, n) => (l - right[n]!) / 2);
        const midFiltered = directZeroPhase(mid, midTaps);
        const sideFiltered = directZeroPhase(side, sideTaps);
        const expectedLeft = midFiltered.map((m, n) => m + sideFiltered[n]!);
        const expectedRight = midFiltered.map((m, n) => m - sideFiltered[n]!);
        applyMidSideFirInPlace(left, right, midTaps, sideTaps);
        const what = `${lengthSamples} samples`;
        expectWithin(maxDifference(left, expectedLeft), 0, CONVOLUTION_TOLERANCE, `left, ${what}`);
        expectWithin(maxDifference(right, expectedRight), 0, CONVOLUTION_TOLERANCE, `right, ${what}`);
      }
    },
  );

  it('spec: a unit impulse for mid and zero side fold to mono, L = R = (L + R)/2', () => {
    const left = randomSignal(50_000, 5);
    const right = randomSignal(50_000, 6);
    const mono = left.map((l, n) => (l + right[n]!) / 2);
    applyMidSideFirInPlace(left, right, unitImpulse(257), new Float32Array(257));
    expectWithin(maxDifference(left, mono), 0, MONO_FOLD_TOLERANCE, 'left');
    expectWithin(maxDifference(right, mono), 0, MONO_FOLD_TOLERANCE, 'right');
  });

  it('property: equal mid and side taps filter left and right alike, as applyFirInPlace', () => {
    const taps = randomSymmetricTaps(257, 9);
    const left = randomSignal(20_000, 7);
    const right = randomSignal(20_000, 8);
    const expectedLeft = left.slice();
    const expectedRight = right.slice();
    applyFirInPlace(expectedLeft, taps);
    applyFirInPlace(expectedRight, taps);
    applyMidSideFirInPlace(left, right, taps, taps);
    expectWithin(maxDifference(left, expectedLeft), 0, CONVOLUTION_TOLERANCE, 'left');
    expectWithin(maxDifference(right, expectedRight), 0, CONVOLUTION_TOLERANCE, 'right');
  });

  it('edge: unit impulses for both return without touching the data (bit-exact)', () => {
    const left = randomSignal(3000, 1);
    const right = randomSignal(3000, 2);
    const [leftBefore, rightBefore] = [left.slice(), right.slice()];
    applyMidSideFirInPlace(left, right, unitImpulse(16_385), unitImpulse(16_385));
    // Exactness is the requirement (amount 0 % must not change a bit), so toBe.
    left.forEach((v, n) => {
      expect(v, `left ${n}`).toBe(leftBefore[n]);
    });
    right.forEach((v, n) => {
      expect(v, `right ${n}`).toBe(rightBefore[n]);
    });
  });

  it('rejects taps of different lengths, invalid taps and channels of different lengths', () => {
    const taps = randomSymmetricTaps(31, 1);
    const [left, right] = [new Float32Array(100), new Float32Array(100)];
    expect(() => applyMidSideFirInPlace(left, right, taps, randomSymmetricTaps(33, 1))).toThrow(INVALID);
    expect(() => applyMidSideFirInPlace(left, right, taps, new Float32Array([1, 0, 0]))).toThrow(INVALID);
    expect(() => applyMidSideFirInPlace(left, new Float32Array(99), taps, taps)).toThrow(INVALID);
    expect(() => applyMidSideFirInPlace(new Float32Array(0), new Float32Array(0), taps, taps)).not.toThrow();
  });
});
