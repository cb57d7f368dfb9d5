import { expectWithin, sine, whiteNoise, xorshift32 } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import {
  createInterSamplePeakKernel,
  INTER_SAMPLE_PEAK_CHUNK_SAMPLES,
  type InterSamplePeakKernel,
  interSamplePeaksAbove,
} from './inter-sample-peaks.ts';
import {
  createTruePeakInterpolator,
  type TruePeakInterpolator,
  truePeakOversamplingFactor,
} from './true-peak-interpolator.ts';

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

/**
 * Continuous peak at input n from the definition, written apart from the kernel's forms: the
 * grid of the interval [n − delay, n − delay + 1) (time n − delay + j/F is branch j mod F at
 * input n − delay + latency + ⌊j/F⌋; branch 0 is the sample itself), j = −1 … F; then the
 * parabola b + βt + γt² through (−1, a), (0, b), (1, c), fitted on s·y around the largest |y|
 * of j = 0 … F − 1, and its vertex b − β²/(4γ) when b is the largest of the three.
 */
function definitionContinuousPeak(
  x: Float32Array,
  interpolator: TruePeakInterpolator,
  delay: number,
  n: number,
): number {
  const { phases, tapsPerPhase, latencySamples } = interpolator;
  const factor = phases.length;
  const value = (j: number): number => {
    const p = ((j % factor) + factor) % factor;
    const input = n - delay + latencySamples + Math.floor(j / factor);
    if (p === 0) return x[input - latencySamples]!;
    let acc = 0;
    // Taps before the start of x are zero in every interpolator here (the last tap of p ≥ 1).
    for (let k = 0; k < tapsPerPhase; k++) acc += phases[p]![k]! * (x[input - k] ?? 0);
    return acc;
  };
  const grid = Array.from({ length: factor + 2 }, (_, i) => value(i - 1));
  let at = 1;
  for (let i = 2; i <= factor; i++) if (Math.abs(grid[i]!) > Math.abs(grid[at]!)) at = i;
  const sign = Math.sign(grid[at]!);
  const [a, b, c] = [sign * grid[at - 1]!, sign * grid[at]!, sign * grid[at + 1]!];
  const beta = (c - a) / 2;
  const gamma = (a + c) / 2 - b;
  if (a > b || c > b || gamma === 0) return b;
  return b - (beta * beta) / (4 * gamma);
}

/**
 * The continuous estimate's largest excess over the values it is fitted to, as a factor of
 * their bound: a parabola through −1, 1, 1 peaks at 5/4, half-way between the 1s.
 */
const FIVE_QUARTERS = 5 / 4;

/** Every continuous peak of `x` from `from` on, at its input index. */
function continuousPeaks(kernel: InterSamplePeakKernel, x: Float32Array, from: number): Float64Array {
  const out = new Float64Array(x.length);
  kernel.peaks(x, from, x.length, out, 0);
  return out;
}

describe('createInterSamplePeakKernel in continuous mode', () => {
  it.each(INTERPOLATORS)('differential: %s gives the definition at every sample', (_, interpolator) => {
    const x = testSignal(1000);
    const kernel = createInterSamplePeakKernel(interpolator, { continuous: true });
    expect(kernel.continuous).toBe(true);
    const out = new Float64Array(x.length);
    // Three calls, two of them short: the grid value before a call's first interval is its own.
    const from = kernel.reachSamples;
    kernel.peaks(x, from, from + 1, out, 0);
    kernel.peaks(x, from + 1, from + 4, out, 0);
    const largest = kernel.peaks(x, from + 4, x.length, out, 0);
    let expectedLargest = 0;
    for (let n = from; n < x.length; n++) {
      const expected = definitionContinuousPeak(x, interpolator, kernel.delaySamples, n);
      expectWithin(out[n]!, expected, FLOAT64_REORDERING, `peak at ${n}`);
      if (n >= from + 4) expectedLargest = Math.max(expectedLargest, expected);
    }
    expectWithin(largest, expectedLargest, FLOAT64_REORDERING, 'largest');
  });

  it.each(INTERPOLATORS)(
    'property: %s is never below the grid maximum of the same interval',
    (_, interpolator) => {
      const x = testSignal(1000);
      const grid = createInterSamplePeakKernel(interpolator);
      const continuous = createInterSamplePeakKernel(interpolator, { continuous: true });
      // Both indexed by the interval's first sample, m = n − delay.
      const from = Math.max(
        grid.reachSamples - grid.delaySamples,
        continuous.reachSamples - continuous.delaySamples,
      );
      const gridOut = new Float64Array(x.length);
      const continuousOut = new Float64Array(x.length);
      grid.peaks(x, from + grid.delaySamples, x.length, gridOut, -grid.delaySamples);
      continuous.peaks(x, from + continuous.delaySamples, x.length, continuousOut, -continuous.delaySamples);
      let above = 0;
      for (let m = from; m < x.length - continuous.delaySamples; m++) {
        // Exactly: the continuous forms take the grid maximum from the same sums.
        expect(continuousOut[m]!, `interval ${m}`).toBeGreaterThanOrEqual(gridOut[m]!);
        if (continuousOut[m]! > gridOut[m]!) above++;
      }
      expect(above).toBeGreaterThan(0);
    },
  );

  it('spec: the delay is the interpolator latency (at least 1); the reach covers the grid value before', () => {
    const four = createInterSamplePeakKernel(createTruePeakInterpolator(4), { continuous: true });
    expect([four.delaySamples, four.reachSamples]).toEqual([12, 24]);
    const one = createInterSamplePeakKernel(createTruePeakInterpolator(1), { continuous: true });
    expect([one.delaySamples, one.reachSamples]).toEqual([1, 2]);
    const direct = createInterSamplePeakKernel(asymmetric(), { continuous: true });
    expect([direct.delaySamples, direct.reachSamples]).toEqual([12, 25]);
    expect(createInterSamplePeakKernel(createTruePeakInterpolator(4)).continuous).toBe(false);
  });

  /**
   * Sinusoids: each peak read within this of the amplitude up to 0.1 cycle per grid step
   * (0.4·fs at 4×, 0.2·fs at 2×, 0.1·fs at 1×): the parabola's worst case there is 0.03 dB
   * low, the interpolator's ripple ±0.005 dB (`createTruePeakInterpolator`).
   */
  const SINE_PEAK_DB = 0.05;
  /** The 4×, 2× and 1× grids (44.1, 48, 96 and 192 kHz) up to 0.1 cycle per grid step, and 4× at 0.45·fs. */
  const SINE_CASES: [number, number][] = [
    ...[0.1, 0.2, 0.3, 0.35, 0.4, 0.45].flatMap((relative): [number, number][] => [
      [44100, relative],
      [48000, relative],
    ]),
    ...[0.05, 0.1, 0.15, 0.2].map((relative): [number, number] => [96000, relative]),
    ...[0.025, 0.05, 0.075, 0.1].map((relative): [number, number] => [192000, relative]),
  ];

  it.each(SINE_CASES)(
    'spec: at %i Hz a sine at %f·fs reads its amplitude at every peak, random phases',
    (sampleRateHz, relative) => {
      const factor = truePeakOversamplingFactor(sampleRateHz);
      const interpolator = createTruePeakInterpolator(factor);
      const continuous = createInterSamplePeakKernel(interpolator, { continuous: true });
      const grid = createInterSamplePeakKernel(interpolator);
      const random = xorshift32(Math.round(relative * 1000) + sampleRateHz);
      const peakDbfs = -3;
      const amplitude = 10 ** (peakDbfs / 20);
      let worstDb = 0;
      let worstGridDb = 0;
      for (let trial = 0; trial < 8; trial++) {
        const phaseRadians = 2 * Math.PI * random();
        const x = sine({
          sampleRateHz,
          durationSeconds: 400 / sampleRateHz,
          frequencyHz: relative * sampleRateHz,
          peakDbfs,
          phaseRadians,
          channelCount: 1,
        }).channels[0]!;
        const readings = continuousPeaks(continuous, x, continuous.reachSamples);
        const gridReadings = continuousPeaks(grid, x, grid.reachSamples);
        // Peak k at time t_k (2π·f·t + φ = π/2 + kπ); its grid maximum lies within half a grid
        // step, in the interval starting at ⌊t_k ± 1/(2F)⌋, whose peak is at input index + delay.
        const step = 2 * Math.PI * relative;
        for (let k = 0; ; k++) {
          const t = (Math.PI / 2 + k * Math.PI - phaseRadians) / step;
          if (t > x.length - 40) break;
          if (t < 40) continue;
          const intervals = [Math.floor(t - 0.5 / factor), Math.floor(t + 0.5 / factor)];
          const reading = Math.max(...intervals.map((m) => readings[m + continuous.delaySamples]!));
          const gridReading = Math.max(...intervals.map((m) => gridReadings[m + grid.delaySamples]!));
          expect(reading, `peak ${k}`).toBeGreaterThanOrEqual(gridReading);
          worstDb = Math.max(worstDb, Math.abs(20 * Math.log10(reading / amplitude)));
          worstGridDb = Math.max(worstGridDb, -20 * Math.log10(gridReading / amplitude));
        }
      }
      if (relative / factor <= 0.1) {
        expectWithin(worstDb, 0, SINE_PEAK_DB, `${relative}·fs`);
        // The grid alone is much further off near 0.1 cycle per step (0.44 dB at the worst phase).
        if (relative / factor >= 0.1) expect(worstGridDb).toBeGreaterThan(0.2);
      }
    },
  );

  it.each(INTERPOLATORS)(
    'property: %s: every peak is at most gainBound · max|x| over its reach, gainBound ≤ 5/4 × the interpolator’s',
    (_, interpolator) => {
      const kernel = createInterSamplePeakKernel(interpolator, { continuous: true });
      expect(kernel.gainBound).toBeGreaterThanOrEqual(interpolator.gainBound);
      expect(kernel.gainBound).toBeLessThanOrEqual(interpolator.gainBound * FIVE_QUARTERS);
      const reach = kernel.reachSamples;
      const random = xorshift32(99);
      // Full-scale random signs and the test signal; then, per branch, its taps' signs (the
      // grid value at its bound) and a greedy search over −1, 0, 1 samples for a larger peak.
      const signals = [
        Float32Array.from({ length: 4000 }, () => (random() < 0.5 ? -1 : 1)),
        testSignal(1000),
      ];
      for (const h of interpolator.phases) {
        const x = new Float32Array(2 * reach + 2);
        for (let k = 0; k < h.length; k++) x[reach + 1 - k] = h[k]! < 0 ? -1 : 1;
        signals.push(x);
      }
      const search = Float32Array.from({ length: reach + 1 }, () => (random() < 0.5 ? -1 : 1));
      const peakOfSearch = (): number => continuousPeaks(kernel, search, reach)[reach]!;
      let best = peakOfSearch();
      for (let pass = 0; pass < 3; pass++) {
        for (let i = 0; i <= reach; i++) {
          for (const value of [-1, 0, 1]) {
            const old = search[i]!;
            search[i] = value;
            const peak = peakOfSearch();
            if (peak > best) best = peak;
            else search[i] = old;
          }
        }
      }
      signals.push(search);
      for (const x of signals) {
        const out = continuousPeaks(kernel, x, reach);
        for (let n = reach; n < x.length; n++) {
          let reachMax = 0;
          for (let i = n - reach; i <= n; i++) reachMax = Math.max(reachMax, Math.abs(x[i]!));
          expect(out[n]!, `at ${n}`).toBeLessThanOrEqual(kernel.gainBound * reachMax);
        }
      }
    },
  );

  it('spec: the bound is 5/4 at 1× and reached there: the samples −1, 1, 1 give 5/4 (vertex half-way between the 1s)', () => {
    const kernel = createInterSamplePeakKernel(createTruePeakInterpolator(1), { continuous: true });
    const x = Float32Array.of(0, 0, -1, 1, 1, 0, 0);
    const out = continuousPeaks(kernel, x, kernel.reachSamples);
    // The interval [3, 4) is the peak at input 4 (delay 1).
    expectWithin(out[4]!, FIVE_QUARTERS, 0, 'vertex');
    expectWithin(kernel.gainBound, FIVE_QUARTERS, 0, 'gainBound at 1×');
  });

  it('spec: at 4× the bound is within 2 % of the grid’s, so the skip stays as effective', () => {
    const interpolator = createTruePeakInterpolator(4);
    const kernel = createInterSamplePeakKernel(interpolator, { continuous: true });
    // max Σ|9·h_i − h_(i±1)|/8 over neighbouring grid branches: 2.2922 against 2.2489.
    expect(kernel.gainBound / interpolator.gainBound).toBeLessThan(1.02);
  });
});

describe('interSamplePeaksAbove in continuous mode', () => {
  it.each(
    INTERPOLATORS.flatMap(([name, interpolator]) =>
      [0.3, 0.8, 1.2, 3].map((floorLinear): [string, number, TruePeakInterpolator] => [
        name,
        floorLinear,
        interpolator,
      ]),
    ),
  )(
    'property: %s with floor %f: every peak above the floor is exact, the rest untouched or exact',
    (_, floorLinear, interpolator) => {
      const kernel = createInterSamplePeakKernel(interpolator, { continuous: true });
      const x = testSignal(1000);
      const from = kernel.reachSamples + 5; // chunks not aligned with anything
      const exact = new Float64Array(x.length);
      kernel.peaks(x, from, x.length, exact, 0);
      const out = new Float64Array(x.length);
      const largest = interSamplePeaksAbove(kernel, x, from, x.length, out, 0, floorLinear);
      let expectedLargest = 0;
      for (let n = from; n < x.length; n++) {
        // The same kernel on the same samples: skipping must not change a computed value at all.
        if (exact[n]! > floorLinear) {
          expectWithin(out[n]!, exact[n]!, 0, `peak at ${n}`);
          expectedLargest = Math.max(expectedLargest, exact[n]!);
        } else if (out[n] !== 0) expectWithin(out[n]!, exact[n]!, 0, `peak at ${n}`);
      }
      if (expectedLargest > 0) expectWithin(largest, expectedLargest, 0, 'largest');
      else expect(largest).toBeLessThanOrEqual(floorLinear);
    },
  );

  it('property: the skip test uses the continuous bound: at 1× a vertex at 5/4 · max|x| just above the floor is computed', () => {
    const kernel = createInterSamplePeakKernel(createTruePeakInterpolator(1), { continuous: true });
    const floorLinear = 0.5;
    const x = new Float32Array(8 * INTER_SAMPLE_PEAK_CHUNK_SAMPLES);
    const at = 3 * INTER_SAMPLE_PEAK_CHUNK_SAMPLES + 7;
    const out = new Float64Array(x.length);
    // Samples −v, v, v: the vertex is 5/4 · v. Over the floor by 0.1 %: computed, exactly.
    for (const [scale, computed] of [
      [1.001, true],
      [0.999, false],
    ] as const) {
      const v = (floorLinear / kernel.gainBound) * scale;
      x.set([-v, v, v], at);
      out.fill(0);
      const largest = interSamplePeaksAbove(kernel, x, kernel.reachSamples, x.length, out, 0, floorLinear);
      if (computed) {
        expectWithin(largest, FIVE_QUARTERS * Math.fround(v), 1e-15, 'vertex');
        expect(largest).toBeGreaterThan(floorLinear);
      } else {
        expect(largest).toBe(0);
        expect(out.every((value) => value === 0)).toBe(true);
      }
    }
  });
});
