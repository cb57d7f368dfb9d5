import { expectWithin, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import {
  createInterSamplePeakKernel,
  INTER_SAMPLE_PEAK_CHUNK_SAMPLES,
  interSamplePeaksAbove,
} from './inter-sample-peaks.ts';
import { createTruePeakInterpolator, type TruePeakInterpolator } from './true-peak-interpolator.ts';

/**
 * Kernel against the definition, both in float64 on |x| ≤ 1: the folded forms sum 13 taps in
 * another order, so they differ by a few 10⁻¹⁶; a wrong tap or branch would differ by 10⁻³
 * or more.
 */
const FLOAT64_REORDERING = 1e-12;

/** Peak at input index n straight from the definition: max over every branch of |Σ h_p[k]·x[n − k]|. */
function definitionPeak(x: Float32Array, interpolator: TruePeakInterpolator, n: number): number {
  let best = 0;
  for (const h of interpolator.phases) {
    let acc = 0;
    for (let k = 0; k < interpolator.tapsPerPhase; k++) acc += h[k]! * x[n - k]!;
    best = Math.max(best, Math.abs(acc));
  }
  return best;
}

/** Loud noise with a near-Nyquist burst (large inter-sample overs) and a silent stretch. */
function testSignal(lengthSamples: number): Float32Array {
  const noise = whiteNoise({ sampleRateHz: 48000, durationSeconds: lengthSamples / 48000, rmsDbfs: -6 });
  const x = noise.channels[0]!;
  for (let i = 200; i < 400; i++) x[i] = 0.9 * Math.sin(0.49 * 2 * Math.PI * i + 0.7);
  x.fill(0, 500, 700);
  return x;
}

/** An interpolator whose branches are not mirror images (they run in the direct form). */
function asymmetric(): TruePeakInterpolator {
  const base = createTruePeakInterpolator(4);
  const phases = base.phases.map((h, p) => h.map((c, k) => (p > 0 ? c * (1 + 0.01 * k) : c)));
  const gainBound = Math.max(...phases.map((h) => h.reduce((sum, c) => sum + Math.abs(c), 0)));
  return { ...base, phases, gainBound };
}

const INTERPOLATORS: [string, TruePeakInterpolator][] = [
  ['1× (identity)', createTruePeakInterpolator(1)],
  ['2× (folded)', createTruePeakInterpolator(2)],
  ['4× (folded, unrolled)', createTruePeakInterpolator(4)],
  ['8× (folded)', createTruePeakInterpolator(8)],
  ['4× without symmetry (direct)', asymmetric()],
];

describe('createInterSamplePeakKernel', () => {
  it.each(INTERPOLATORS)('differential: %s gives the definition at every sample', (_, interpolator) => {
    const x = testSignal(1000);
    const kernel = createInterSamplePeakKernel(interpolator);
    const out = new Float64Array(x.length);
    // Two calls, one of them short, so that a form carrying state between samples starts anew.
    const from = kernel.reachSamples;
    kernel.peaks(x, from, from + 3, out, 0);
    const largest = kernel.peaks(x, from + 3, x.length, out, 0);
    let expectedLargest = 0;
    for (let n = from; n < x.length; n++) {
      const expected = definitionPeak(x, interpolator, n);
      expectWithin(out[n]!, expected, FLOAT64_REORDERING, `peak at ${n}`);
      if (n >= from + 3) expectedLargest = Math.max(expectedLargest, expected);
    }
    expectWithin(largest, expectedLargest, FLOAT64_REORDERING, 'largest');
  });

  it('property: the peak at n covers [n − delay, n − delay + 1): it is never below |x[n − delay]|', () => {
    const x = testSignal(600);
    const kernel = createInterSamplePeakKernel(createTruePeakInterpolator(4));
    const out = new Float64Array(x.length);
    kernel.peaks(x, kernel.reachSamples, x.length, out, -kernel.delaySamples);
    for (let m = kernel.reachSamples - kernel.delaySamples; m < x.length - kernel.delaySamples; m++) {
      expect(out[m]!).toBeGreaterThanOrEqual(Math.abs(x[m]!));
    }
  });

  it('property: out keeps the larger of its value and the peak', () => {
    const x = testSignal(300);
    const interpolator = createTruePeakInterpolator(4);
    const kernel = createInterSamplePeakKernel(interpolator);
    const out = new Float64Array(x.length).fill(0.5);
    kernel.peaks(x, kernel.reachSamples, x.length, out, 0);
    for (let n = kernel.reachSamples; n < x.length; n++) {
      expectWithin(out[n]!, Math.max(0.5, definitionPeak(x, interpolator, n)), FLOAT64_REORDERING, `at ${n}`);
    }
  });
});

describe('interSamplePeaksAbove', () => {
  it.each([0, 0.3, 0.8, 2])(
    'property: with floor %f, every peak above the floor is exact and the rest untouched or exact',
    (floorLinear) => {
      const interpolator = createTruePeakInterpolator(4);
      const kernel = createInterSamplePeakKernel(interpolator);
      const x = testSignal(1000);
      const from = kernel.reachSamples + 5; // chunks not aligned with anything
      const out = new Float64Array(x.length);
      const largest = interSamplePeaksAbove(kernel, x, from, x.length, out, 0, floorLinear);
      let expectedLargest = 0;
      for (let n = from; n < x.length; n++) {
        const expected = definitionPeak(x, interpolator, n);
        if (expected > floorLinear) {
          expectWithin(out[n]!, expected, FLOAT64_REORDERING, `peak at ${n}`);
          expectedLargest = Math.max(expectedLargest, expected);
        } else if (out[n] !== 0) expectWithin(out[n]!, expected, FLOAT64_REORDERING, `peak at ${n}`);
      }
      // Below-floor values it did compute cannot beat an above-floor one.
      if (expectedLargest > 0) expectWithin(largest, expectedLargest, FLOAT64_REORDERING, 'largest');
      else expect(largest).toBeLessThanOrEqual(floorLinear);
    },
  );

  it('property: a chunk is skipped only when gainBound · max|x| over its reach is at or under the floor', () => {
    const kernel = createInterSamplePeakKernel(createTruePeakInterpolator(4));
    const x = new Float32Array(8 * INTER_SAMPLE_PEAK_CHUNK_SAMPLES);
    // One sample just above floor / gainBound: its chunk must be interpolated.
    const floorLinear = 0.5;
    const at = 3 * INTER_SAMPLE_PEAK_CHUNK_SAMPLES + 7;
    x[at] = (floorLinear / kernel.gainBound) * 1.001;
    const out = new Float64Array(x.length);
    interSamplePeaksAbove(kernel, x, kernel.reachSamples, x.length, out, 0, floorLinear);
    expect(out[at + kernel.delaySamples]).toBeGreaterThan(0);
    x[at] = (floorLinear / kernel.gainBound) * 0.999;
    out.fill(0);
    expect(interSamplePeaksAbove(kernel, x, kernel.reachSamples, x.length, out, 0, floorLinear)).toBe(0);
    expect(out.every((v) => v === 0)).toBe(true);
  });
});
