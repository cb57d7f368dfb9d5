import type { TruePeakInterpolator } from './true-peak-interpolator.ts';

/**
 * The per-sample inter-sample peak of a signal through a {@link TruePeakInterpolator}: at
 * input index n, the largest |value| at the times n − delay + p/factor, p = 0 … factor − 1
 * (ITU-R BS.1770-4 Annex 2 oversampling; p = 0 is the sample x[n − delay] itself, which the
 * interpolator reproduces exactly). So the peak at n covers [n − delay, n − delay + 1).
 *
 * In continuous mode ({@link InterSamplePeakKernelOptions.continuous}) the peak at n is
 * instead an estimate of the largest |signal| in that interval, between the grid points too:
 * with y_0 … y_{F−1} the grid values above, y_{−1} the last one of the interval before and
 * y_F = x[n − delay + 1] the next sample, y_i the largest |y| of y_0 … y_{F−1} and
 * s = sign(y_i), the parabola through s·y_{i−1}, s·y_i, s·y_{i+1} has its vertex within half a
 * grid step of y_i when s·y_i is a local maximum (≥ both neighbours); the peak is then the
 * vertex value, else |y_i|. It is never below the grid maximum. On a sinusoid of r cycles
 * per grid step (r = f/(F·fs)) it reads each peak low by at most 0.002 dB at r = 0.05,
 * 0.01 dB at r = 0.075 and 0.03 dB at r = 0.1 (0.4·fs at 4×, 0.2·fs at 2×, 0.1·fs at 1×),
 * where the grid maximum alone reads up to 0.44 dB low; plus the interpolator's own ripple
 * (±0.005 dB to 0.8 × Nyquist). Meters that resample finely (ffmpeg's ebur128 at 192 kHz)
 * find such between-grid values; a ceiling held in continuous mode holds for them.
 */
export interface InterSamplePeakKernel {
  /** Samples of history the peak at n reads: x[n − reachSamples … n]. */
  readonly reachSamples: number;
  /**
   * Delay of the peak at n in input samples: the interpolator's `latencySamples`; in
   * continuous mode at least 1 (the estimate reads the next sample, x[n − delay + 1]).
   */
  readonly delaySamples: number;
  /**
   * Every peak at n is ≤ gainBound · max|x[n − reach … n]|: the interpolator's `gainBound`;
   * in continuous mode a little more (see {@link continuousGainBound}: × 1.019 at 4×, × 1.069
   * at 2×, × 5/4 at 1×).
   */
  readonly gainBound: number;
  /** Whether the peaks are the continuous estimate (true) or the grid maximum (false). */
  readonly continuous: boolean;
  /**
   * For each n in [from, to): `out[n + outOffset] = max(out[n + outOffset], peak at n)`.
   * Needs reachSamples ≤ from and to ≤ x.length (no bounds handling: pad with zeros where
   * the signal has none).
   * Does not allocate.
   *
   * @returns the largest peak in the range (0 if it is empty).
   */
  peaks(
    x: Float32Array,
    from: number,
    to: number,
    out: Float32Array | Float64Array,
    outOffset: number,
  ): number;
}

/** Options of {@link createInterSamplePeakKernel}. */
export interface InterSamplePeakKernelOptions {
  /**
   * Estimate the continuous peak between the grid points by parabolic interpolation (see
   * {@link InterSamplePeakKernel}) instead of the BS.1770-4 grid maximum. Default false: the
   * grid maximum, which BS.1770-4 Annex 2 and the EBU Tech 3341 true-peak cases specify.
   */
  readonly continuous?: boolean;
}

/** Samples per skip test of {@link interSamplePeaksAbove}: short enough to skip the quiet gaps between transients. */
export const INTER_SAMPLE_PEAK_CHUNK_SAMPLES = 32;

/**
 * The interpolator's branches folded by symmetry. Its kernel is symmetric about a sample, so
 * (taps k < span, span = taps − 1, tap `span` being zero for p ≥ 1) branch F − p is branch p
 * reversed, h_{F−p}[k] = h_p[span − 1 − k], and branch F/2 is its own mirror. With
 * s_k = x[n−k] + x[n−span+1+k] and d_k = x[n−k] − x[n−span+1+k] (k < span/2), a pair's two
 * values A, B satisfy (A + B)/2 = Σ plus_k·s_k and (A − B)/2 = Σ minus_k·d_k, and
 * max(|A|, |B|) = |(A + B)/2| + |(A − B)/2|: half the multiplies of the direct form.
 */
interface MirroredBranches {
  readonly plus: readonly Float64Array[];
  readonly minus: readonly Float64Array[];
  readonly middle: Float64Array | null;
  readonly half: number;
}

/** Folds the branches, or `null` if they are not mirror images (then they run as they are). */
function mirrorBranches(phases: readonly Float64Array[], tapsPerPhase: number): MirroredBranches | null {
  const factor = phases.length;
  const span = tapsPerPhase - 1;
  if (factor === 1 || span % 2 !== 0) return null;
  const half = span / 2;
  const mirrorTolerance = 1e-15;
  for (let p = 1; p < factor; p++) {
    const h = phases[p]!;
    const mirror = phases[factor - p]!;
    if (h[span] !== 0) return null;
    for (let k = 0; k < span; k++) if (Math.abs(h[k]! - mirror[span - 1 - k]!) > mirrorTolerance) return null;
  }
  const plus: Float64Array[] = [];
  const minus: Float64Array[] = [];
  for (let p = 1; 2 * p < factor; p++) {
    const h = phases[p]!;
    plus.push(Float64Array.from({ length: half }, (_, k) => (h[k]! + h[span - 1 - k]!) / 2));
    minus.push(Float64Array.from({ length: half }, (_, k) => (h[k]! - h[span - 1 - k]!) / 2));
  }
  const middle = factor % 2 === 0 ? phases[factor / 2]!.slice(0, half) : null;
  return { plus, minus, middle, half };
}

type PeaksFunction = InterSamplePeakKernel['peaks'];

/** The direct form: every branch, every tap. */
function directPeaks(interpolator: TruePeakInterpolator): PeaksFunction {
  const { phases, tapsPerPhase, latencySamples: delay } = interpolator;
  const factor = phases.length;
  return (x, from, to, out, outOffset) => {
    let largest = 0;
    for (let n = from; n < to; n++) {
      let best = Math.abs(x[n - delay]!);
      for (let p = 1; p < factor; p++) {
        const h = phases[p]!;
        let acc = 0;
        for (let k = 0; k < tapsPerPhase; k++) acc += h[k]! * x[n - k]!;
        const a = Math.abs(acc);
        if (a > best) best = a;
      }
      if (best > out[n + outOffset]!) out[n + outOffset] = best;
      if (best > largest) largest = best;
    }
    return largest;
  };
}

/** The folded form for any factor and span. */
function mirroredPeaks(m: MirroredBranches, reach: number, delay: number): PeaksFunction {
  const { plus, minus, middle, half } = m;
  const pairCount = plus.length;
  const sums = new Float64Array(half);
  const differences = new Float64Array(half);
  return (x, from, to, out, outOffset) => {
    let largest = 0;
    for (let n = from; n < to; n++) {
      const oldest = n - reach + 1;
      for (let k = 0; k < half; k++) {
        const newer = x[n - k]!;
        const older = x[oldest + k]!;
        sums[k] = newer + older;
        differences[k] = newer - older;
      }
      let best = Math.abs(x[n - delay]!);
      for (let q = 0; q < pairCount; q++) {
        const hp = plus[q]!;
        const hm = minus[q]!;
        let even = 0;
        let odd = 0;
        for (let k = 0; k < half; k++) {
          even += hp[k]! * sums[k]!;
          odd += hm[k]! * differences[k]!;
        }
        const a = Math.abs(even) + Math.abs(odd);
        if (a > best) best = a;
      }
      if (middle !== null) {
        let acc = 0;
        for (let k = 0; k < half; k++) acc += middle[k]! * sums[k]!;
        const a = Math.abs(acc);
        if (a > best) best = a;
      }
      if (best > out[n + outOffset]!) out[n + outOffset] = best;
      if (best > largest) largest = best;
    }
    return largest;
  };
}

/**
 * The folded form unrolled for the common case, 4× with 24-tap branches (every rate below
 * 96 kHz): one branch pair and the middle branch, 36 multiplies per sample.
 */
function mirroredPeaks4(m: MirroredBranches): PeaksFunction {
  const hp = m.plus[0]!;
  const hm = m.minus[0]!;
  const hc = m.middle!;
  return (x, from, to, out, outOffset) => {
    if (from >= to) return 0;
    const p0 = hp[0]!;
    const p1 = hp[1]!;
    const p2 = hp[2]!;
    const p3 = hp[3]!;
    const p4 = hp[4]!;
    const p5 = hp[5]!;
    const p6 = hp[6]!;
    const p7 = hp[7]!;
    const p8 = hp[8]!;
    const p9 = hp[9]!;
    const p10 = hp[10]!;
    const p11 = hp[11]!;
    const m0 = hm[0]!;
    const m1 = hm[1]!;
    const m2 = hm[2]!;
    const m3 = hm[3]!;
    const m4 = hm[4]!;
    const m5 = hm[5]!;
    const m6 = hm[6]!;
    const m7 = hm[7]!;
    const m8 = hm[8]!;
    const m9 = hm[9]!;
    const m10 = hm[10]!;
    const m11 = hm[11]!;
    const c0 = hc[0]!;
    const c1 = hc[1]!;
    const c2 = hc[2]!;
    const c3 = hc[3]!;
    const c4 = hc[4]!;
    const c5 = hc[5]!;
    const c6 = hc[6]!;
    const c7 = hc[7]!;
    const c8 = hc[8]!;
    const c9 = hc[9]!;
    const c10 = hc[10]!;
    const c11 = hc[11]!;
    // The 24 samples the peak at n reads, newest first, shifted along as n advances.
    let x1 = x[from - 1]!;
    let x2 = x[from - 2]!;
    let x3 = x[from - 3]!;
    let x4 = x[from - 4]!;
    let x5 = x[from - 5]!;
    let x6 = x[from - 6]!;
    let x7 = x[from - 7]!;
    let x8 = x[from - 8]!;
    let x9 = x[from - 9]!;
    let x10 = x[from - 10]!;
    let x11 = x[from - 11]!;
    let x12 = x[from - 12]!;
    let x13 = x[from - 13]!;
    let x14 = x[from - 14]!;
    let x15 = x[from - 15]!;
    let x16 = x[from - 16]!;
    let x17 = x[from - 17]!;
    let x18 = x[from - 18]!;
    let x19 = x[from - 19]!;
    let x20 = x[from - 20]!;
    let x21 = x[from - 21]!;
    let x22 = x[from - 22]!;
    let x23 = x[from - 23]!;
    let largest = 0;
    for (let n = from; n < to; n++) {
      const x0 = x[n]!;
      const s0 = x0 + x23;
      const d0 = x0 - x23;
      const s1 = x1 + x22;
      const d1 = x1 - x22;
      const s2 = x2 + x21;
      const d2 = x2 - x21;
      const s3 = x3 + x20;
      const d3 = x3 - x20;
      const s4 = x4 + x19;
      const d4 = x4 - x19;
      const s5 = x5 + x18;
      const d5 = x5 - x18;
      const s6 = x6 + x17;
      const d6 = x6 - x17;
      const s7 = x7 + x16;
      const d7 = x7 - x16;
      const s8 = x8 + x15;
      const d8 = x8 - x15;
      const s9 = x9 + x14;
      const d9 = x9 - x14;
      const s10 = x10 + x13;
      const d10 = x10 - x13;
      const s11 = x11 + x12;
      const d11 = x11 - x12;
      const even =
        p0 * s0 +
        p1 * s1 +
        p2 * s2 +
        p3 * s3 +
        p4 * s4 +
        p5 * s5 +
        p6 * s6 +
        p7 * s7 +
        p8 * s8 +
        p9 * s9 +
        p10 * s10 +
        p11 * s11;
      const odd =
        m0 * d0 +
        m1 * d1 +
        m2 * d2 +
        m3 * d3 +
        m4 * d4 +
        m5 * d5 +
        m6 * d6 +
        m7 * d7 +
        m8 * d8 +
        m9 * d9 +
        m10 * d10 +
        m11 * d11;
      const centre =
        c0 * s0 +
        c1 * s1 +
        c2 * s2 +
        c3 * s3 +
        c4 * s4 +
        c5 * s5 +
        c6 * s6 +
        c7 * s7 +
        c8 * s8 +
        c9 * s9 +
        c10 * s10 +
        c11 * s11;
      let best = Math.abs(even) + Math.abs(odd);
      const a = Math.abs(centre);
      if (a > best) best = a;
      const sample = Math.abs(x12);
      if (sample > best) best = sample;
      if (best > out[n + outOffset]!) out[n + outOffset] = best;
      if (best > largest) largest = best;
      x23 = x22;
      x22 = x21;
      x21 = x20;
      x20 = x19;
      x19 = x18;
      x18 = x17;
      x17 = x16;
      x16 = x15;
      x15 = x14;
      x14 = x13;
      x13 = x12;
      x12 = x11;
      x11 = x10;
      x10 = x9;
      x9 = x8;
      x8 = x7;
      x7 = x6;
      x6 = x5;
      x5 = x4;
      x4 = x3;
      x3 = x2;
      x2 = x1;
      x1 = x0;
    }
    return largest;
  };
}

/**
 * {@link mirroredPeaks4} in continuous mode: the same sums, then the parabolic vertex (a
 * dozen operations and a division per sample). A separate function, not a flag in the
 * other: V8 compiles the larger loop body worse, which would slow the default mode too.
 */
function mirroredContinuousPeaks4(m: MirroredBranches): PeaksFunction {
  const hp = m.plus[0]!;
  const hm = m.minus[0]!;
  const hc = m.middle!;
  return (x, from, to, out, outOffset) => {
    if (from >= to) return 0;
    // Branch 3 at the sample before: the grid value ahead of the first interval's branch 0.
    let previous = lastBranch4(x, from - 1, hp, hm);
    const p0 = hp[0]!;
    const p1 = hp[1]!;
    const p2 = hp[2]!;
    const p3 = hp[3]!;
    const p4 = hp[4]!;
    const p5 = hp[5]!;
    const p6 = hp[6]!;
    const p7 = hp[7]!;
    const p8 = hp[8]!;
    const p9 = hp[9]!;
    const p10 = hp[10]!;
    const p11 = hp[11]!;
    const m0 = hm[0]!;
    const m1 = hm[1]!;
    const m2 = hm[2]!;
    const m3 = hm[3]!;
    const m4 = hm[4]!;
    const m5 = hm[5]!;
    const m6 = hm[6]!;
    const m7 = hm[7]!;
    const m8 = hm[8]!;
    const m9 = hm[9]!;
    const m10 = hm[10]!;
    const m11 = hm[11]!;
    const c0 = hc[0]!;
    const c1 = hc[1]!;
    const c2 = hc[2]!;
    const c3 = hc[3]!;
    const c4 = hc[4]!;
    const c5 = hc[5]!;
    const c6 = hc[6]!;
    const c7 = hc[7]!;
    const c8 = hc[8]!;
    const c9 = hc[9]!;
    const c10 = hc[10]!;
    const c11 = hc[11]!;
    // The 24 samples the peak at n reads, newest first, shifted along as n advances.
    let x1 = x[from - 1]!;
    let x2 = x[from - 2]!;
    let x3 = x[from - 3]!;
    let x4 = x[from - 4]!;
    let x5 = x[from - 5]!;
    let x6 = x[from - 6]!;
    let x7 = x[from - 7]!;
    let x8 = x[from - 8]!;
    let x9 = x[from - 9]!;
    let x10 = x[from - 10]!;
    let x11 = x[from - 11]!;
    let x12 = x[from - 12]!;
    let x13 = x[from - 13]!;
    let x14 = x[from - 14]!;
    let x15 = x[from - 15]!;
    let x16 = x[from - 16]!;
    let x17 = x[from - 17]!;
    let x18 = x[from - 18]!;
    let x19 = x[from - 19]!;
    let x20 = x[from - 20]!;
    let x21 = x[from - 21]!;
    let x22 = x[from - 22]!;
    let x23 = x[from - 23]!;
    let largest = 0;
    for (let n = from; n < to; n++) {
      const x0 = x[n]!;
      const s0 = x0 + x23;
      const d0 = x0 - x23;
      const s1 = x1 + x22;
      const d1 = x1 - x22;
      const s2 = x2 + x21;
      const d2 = x2 - x21;
      const s3 = x3 + x20;
      const d3 = x3 - x20;
      const s4 = x4 + x19;
      const d4 = x4 - x19;
      const s5 = x5 + x18;
      const d5 = x5 - x18;
      const s6 = x6 + x17;
      const d6 = x6 - x17;
      const s7 = x7 + x16;
      const d7 = x7 - x16;
      const s8 = x8 + x15;
      const d8 = x8 - x15;
      const s9 = x9 + x14;
      const d9 = x9 - x14;
      const s10 = x10 + x13;
      const d10 = x10 - x13;
      const s11 = x11 + x12;
      const d11 = x11 - x12;
      const even =
        p0 * s0 +
        p1 * s1 +
        p2 * s2 +
        p3 * s3 +
        p4 * s4 +
        p5 * s5 +
        p6 * s6 +
        p7 * s7 +
        p8 * s8 +
        p9 * s9 +
        p10 * s10 +
        p11 * s11;
      const odd =
        m0 * d0 +
        m1 * d1 +
        m2 * d2 +
        m3 * d3 +
        m4 * d4 +
        m5 * d5 +
        m6 * d6 +
        m7 * d7 +
        m8 * d8 +
        m9 * d9 +
        m10 * d10 +
        m11 * d11;
      const centre =
        c0 * s0 +
        c1 * s1 +
        c2 * s2 +
        c3 * s3 +
        c4 * s4 +
        c5 * s5 +
        c6 * s6 +
        c7 * s7 +
        c8 * s8 +
        c9 * s9 +
        c10 * s10 +
        c11 * s11;
      // Grid: previous, x12 (branch 0), even + odd (1), centre (2), even − odd (3), x11.
      const first = even + odd;
      const third = even - odd;
      let peak = x12;
      let before = previous;
      let after = first;
      let largestMagnitude = Math.abs(x12);
      const a1 = Math.abs(first);
      if (a1 > largestMagnitude) {
        largestMagnitude = a1;
        peak = first;
        before = x12;
        after = centre;
      }
      const a2 = Math.abs(centre);
      if (a2 > largestMagnitude) {
        largestMagnitude = a2;
        peak = centre;
        before = first;
        after = third;
      }
      const a3 = Math.abs(third);
      if (a3 > largestMagnitude) {
        largestMagnitude = a3;
        peak = third;
        before = centre;
        after = x11;
      }
      previous = third;
      // parabolicPeak(before, peak, after), inlined.
      let best = largestMagnitude;
      const rise = (peak - before) * peak;
      const fall = (peak - after) * peak;
      const bend = rise + fall;
      if (rise >= 0 && fall >= 0 && bend > 0) {
        const slope = before - after;
        best += (slope * slope * largestMagnitude) / (8 * bend);
      }
      if (best > out[n + outOffset]!) out[n + outOffset] = best;
      if (best > largest) largest = best;
      x23 = x22;
      x22 = x21;
      x21 = x20;
      x20 = x19;
      x19 = x18;
      x18 = x17;
      x17 = x16;
      x16 = x15;
      x15 = x14;
      x14 = x13;
      x13 = x12;
      x12 = x11;
      x11 = x10;
      x10 = x9;
      x9 = x8;
      x8 = x7;
      x7 = x6;
      x6 = x5;
      x5 = x4;
      x4 = x3;
      x3 = x2;
      x2 = x1;
      x1 = x0;
    }
    return largest;
  };
}

/**
 * The continuous-peak estimate around the grid value of largest magnitude in an interval,
 * `peak`, from it and its grid neighbours `before` and `after` (all signed): with s the sign
 * of `peak`, a = s·before, b = |peak|, c = s·after, the vertex b + (a − c)²/(8(2b − a − c))
 * of the parabola through them when b ≥ a and b ≥ c (the vertex then lies within half a grid
 * step of `peak`), else b. Computed without the sign: rise = peak·(peak − before) = b·(b − a),
 * fall = b·(b − c), their sum b·(2b − a − c). Never below b; at most b + (b − min(a, c))/8
 * (see {@link continuousGainBound}); 0 when `peak` is 0 (s = 0).
 */
function parabolicPeak(before: number, peak: number, after: number): number {
  const magnitude = Math.abs(peak);
  const rise = (peak - before) * peak;
  const fall = (peak - after) * peak;
  const bend = rise + fall;
  // bend = 0 with rise, fall ≥ 0: a flat top (a = b = c), whose vertex is b, or peak = 0.
  if (!(rise >= 0 && fall >= 0 && bend > 0)) return magnitude;
  const slope = before - after;
  return magnitude + (slope * slope * magnitude) / (8 * bend);
}

/**
 * The continuous peak of one interval from its grid: `grid[1 … factor]` the values at
 * phases 0 … factor − 1, `grid[0]` the last one of the interval before, `grid[factor + 1]`
 * the next sample.
 */
function continuousPeakOfGrid(grid: Float64Array, factor: number): number {
  let at = 1;
  let largest = Math.abs(grid[1]!);
  for (let i = 2; i <= factor; i++) {
    const a = Math.abs(grid[i]!);
    if (a > largest) {
      largest = a;
      at = i;
    }
  }
  return parabolicPeak(grid[at - 1]!, grid[at]!, grid[at + 1]!);
}

/**
 * Branch 3 of the unrolled 4× form at input n, summed in the same order as its loop sums it
 * (so the same value to the bit): the grid value before the first interval of a call.
 */
function lastBranch4(x: Float32Array, n: number, hp: Float64Array, hm: Float64Array): number {
  let even = 0;
  let odd = 0;
  for (let k = 0; k < 12; k++) {
    const newer = x[n - k]!;
    const older = x[n - 23 + k]!;
    even += hp[k]! * (newer + older);
    odd += hm[k]! * (newer - older);
  }
  return even - odd;
}

/**
 * The direct form in continuous mode, for any interpolator (and 1×, where the grid is the
 * samples and the parabola runs through three of them). The peak at n covers
 * [n − delay, n − delay + 1), whose grid is the branches at m = n − (delay − latency).
 */
function directContinuousPeaks(interpolator: TruePeakInterpolator, delay: number): PeaksFunction {
  const { phases, tapsPerPhase, latencySamples: latency } = interpolator;
  const factor = phases.length;
  const lag = delay - latency;
  const grid = new Float64Array(factor + 2);
  const branch = (x: Float32Array, m: number, p: number): number => {
    if (p === 0) return x[m - latency]!;
    const h = phases[p]!;
    let acc = 0;
    for (let k = 0; k < tapsPerPhase; k++) acc += h[k]! * x[m - k]!;
    return acc;
  };
  return (x, from, to, out, outOffset) => {
    if (from >= to) return 0;
    let largest = 0;
    let previous = branch(x, from - lag - 1, factor - 1);
    for (let n = from; n < to; n++) {
      const m = n - lag;
      grid[0] = previous;
      for (let p = 0; p < factor; p++) grid[p + 1] = branch(x, m, p);
      grid[factor + 1] = x[m - latency + 1]!;
      previous = grid[factor]!;
      const best = continuousPeakOfGrid(grid, factor);
      if (best > out[n + outOffset]!) out[n + outOffset] = best;
      if (best > largest) largest = best;
    }
    return largest;
  };
}

/** The folded form in continuous mode, for any factor and span. */
function mirroredContinuousPeaks(
  m: MirroredBranches,
  factor: number,
  reach: number,
  delay: number,
): PeaksFunction {
  const { plus, minus, middle, half } = m;
  const pairCount = plus.length;
  const sums = new Float64Array(half);
  const differences = new Float64Array(half);
  const grid = new Float64Array(factor + 2);
  /** Sets grid[1 … factor] to the grid values of the peak at n. */
  const fill = (x: Float32Array, n: number): void => {
    const oldest = n - reach + 1;
    for (let k = 0; k < half; k++) {
      const newer = x[n - k]!;
      const older = x[oldest + k]!;
      sums[k] = newer + older;
      differences[k] = newer - older;
    }
    grid[1] = x[n - delay]!;
    for (let q = 0; q < pairCount; q++) {
      const hp = plus[q]!;
      const hm = minus[q]!;
      let even = 0;
      let odd = 0;
      for (let k = 0; k < half; k++) {
        even += hp[k]! * sums[k]!;
        odd += hm[k]! * differences[k]!;
      }
      // Pair q holds branches q + 1 and factor − q − 1.
      grid[q + 2] = even + odd;
      grid[factor - q] = even - odd;
    }
    if (middle !== null) {
      let acc = 0;
      for (let k = 0; k < half; k++) acc += middle[k]! * sums[k]!;
      grid[factor / 2 + 1] = acc;
    }
  };
  return (x, from, to, out, outOffset) => {
    if (from >= to) return 0;
    let largest = 0;
    fill(x, from - 1);
    let previous = grid[factor]!;
    for (let n = from; n < to; n++) {
      fill(x, n);
      grid[0] = previous;
      grid[factor + 1] = x[n - delay + 1]!;
      previous = grid[factor]!;
      const best = continuousPeakOfGrid(grid, factor);
      if (best > out[n + outOffset]!) out[n + outOffset] = best;
      if (best > largest) largest = best;
    }
    return largest;
  };
}

/**
 * Builds the fastest kernel for an interpolator: the branches folded by their mirror
 * symmetry (the `createTruePeakInterpolator` designs all have it), unrolled for 4× with
 * 24-tap branches; the direct form for an interpolator without the symmetry (and for 1×,
 * where the peak is |x[n]|). All forms give the same values up to float64 rounding.
 *
 * Continuous mode (`options.continuous`) costs 10–15 % more per interpolated sample with the
 * unrolled 4× form (Node 20; 14 → 16 ns), and its skip bound is 2 % looser. Its reach is the interpolator's (taps − 1) for the folded forms,
 * whose last tap is zero so that the grid value before the interval fits in it; the direct
 * form reads one sample more, and at 1× (no latency) the delay becomes 1 and the reach 2.
 */
export function createInterSamplePeakKernel(
  interpolator: TruePeakInterpolator,
  options: InterSamplePeakKernelOptions = {},
): InterSamplePeakKernel {
  const continuous = options.continuous ?? false;
  const { phases, tapsPerPhase, gainBound, latencySamples } = interpolator;
  const mirrored = mirrorBranches(phases, tapsPerPhase);
  const unrolled = mirrored !== null && phases.length === 4 && mirrored.half === 12 && latencySamples === 12;
  if (!continuous) {
    const reachSamples = tapsPerPhase - 1;
    let peaks: PeaksFunction;
    if (mirrored === null) peaks = directPeaks(interpolator);
    else if (unrolled) peaks = mirroredPeaks4(mirrored);
    else peaks = mirroredPeaks(mirrored, reachSamples, latencySamples);
    return { reachSamples, delaySamples: latencySamples, gainBound, continuous, peaks };
  }
  const delaySamples = Math.max(1, latencySamples);
  const continuousBound = continuousGainBound(interpolator);
  if (mirrored === null || delaySamples !== latencySamples) {
    return {
      reachSamples: delaySamples - latencySamples + tapsPerPhase,
      delaySamples,
      gainBound: continuousBound,
      continuous,
      peaks: directContinuousPeaks(interpolator, delaySamples),
    };
  }
  const reachSamples = tapsPerPhase - 1;
  return {
    reachSamples,
    delaySamples,
    gainBound: continuousBound,
    continuous,
    peaks: unrolled
      ? mirroredContinuousPeaks4(mirrored)
      : mirroredContinuousPeaks(mirrored, phases.length, reachSamples, delaySamples),
  };
}

/**
 * The gain bound of the continuous estimate: every continuous peak is ≤ this × max|x| over
 * the samples it reads. Where the vertex is taken (a ≤ b and c ≤ b, with a = s·y_{i−1},
 * b = s·y_i = |y_i|, c = s·y_{i+1}), its excess over b is (u − v)²/(8(u + v)) with
 * u = b − a ≥ 0, v = b − c ≥ 0, which is ≤ max(u, v)/8 since (u − v)² ≤ max(u, v)·(u + v).
 * So the peak is ≤ max(b + u/8, b + v/8) = s·(9·y_i − y_j)/8 for a neighbour j = i ± 1, and
 * with every grid value a linear combination of the samples (a branch's taps, or the sample
 * itself for branch 0 and the next sample), |9·y_i − y_j|/8 ≤ max|x| · Σ|9·h_i − h_j|/8,
 * both coefficient vectors on the same samples. Without the vertex the peak is |y_i| ≤
 * gainBound · max|x|. The result: 1.019 × the interpolator's gain bound at 4×, 1.069 at 2×,
 * 1.005 at 8×, 5/4 at 1× (reached: samples −1, 1, 1 give the vertex 5/4 half-way between
 * the 1s). By the triangle inequality it never exceeds (9 + 1)/8 = 5/4 × the interpolator's;
 * the tighter 9/8 holds only where a and c share b's sign, which nothing guarantees.
 */
function continuousGainBound(interpolator: TruePeakInterpolator): number {
  const { phases, tapsPerPhase, latencySamples, gainBound } = interpolator;
  const factor = phases.length;
  // Grid value g (−1 … factor, of the interval starting at sample m − latency) as
  // coefficients on x[m − j], j = −1 … tapsPerPhase, at index j + 1.
  const coefficients = (g: number): Float64Array => {
    const v = new Float64Array(tapsPerPhase + 2);
    const shift = Math.floor(g / factor);
    const p = g - shift * factor;
    if (p === 0) v[latencySamples - shift + 1] = 1;
    else for (let k = 0; k < tapsPerPhase; k++) v[k - shift + 1] = phases[p]![k]!;
    return v;
  };
  let bound = gainBound;
  for (let i = 0; i < factor; i++) {
    const peak = coefficients(i);
    for (const j of [i - 1, i + 1]) {
      const neighbour = coefficients(j);
      let sum = 0;
      for (let t = 0; t < peak.length; t++) sum += Math.abs(9 * peak[t]! - neighbour[t]!);
      bound = Math.max(bound, sum / 8);
    }
  }
  return bound;
}

/**
 * {@link InterSamplePeakKernel.peaks} over [from, to), skipping what cannot exceed
 * `floorLinear`: in chunks of {@link INTER_SAMPLE_PEAK_CHUNK_SAMPLES} from `from`, a chunk
 * whose bound gainBound · max|x[chunk − reach … chunkEnd)| is ≤ the floor is not interpolated
 * (its `out` values are left as they are). Exact above the floor; on music with a floor near
 * the peak level this skips most of the work. A floor ≤ 0 interpolates everything (the
 * only chunks it could skip are silent, whose peaks are 0).
 *
 * @returns the largest peak computed, 0 if every chunk was skipped.
 */
export function interSamplePeaksAbove(
  kernel: InterSamplePeakKernel,
  x: Float32Array,
  from: number,
  to: number,
  out: Float32Array | Float64Array,
  outOffset: number,
  floorLinear: number,
): number {
  if (floorLinear <= 0) return kernel.peaks(x, from, to, out, outOffset);
  const { reachSamples, gainBound } = kernel;
  let largest = 0;
  // Consecutive chunks that need interpolating go to the kernel as one run.
  let runStart = from;
  for (let start = from; start < to; start += INTER_SAMPLE_PEAK_CHUNK_SAMPLES) {
    const end = Math.min(to, start + INTER_SAMPLE_PEAK_CHUNK_SAMPLES);
    let localMax = 0;
    for (let i = start - reachSamples; i < end; i++) {
      const a = Math.abs(x[i]!);
      if (a > localMax) localMax = a;
    }
    if (localMax * gainBound > floorLinear) continue;
    if (runStart < start) {
      const peak = kernel.peaks(x, runStart, start, out, outOffset);
      if (peak > largest) largest = peak;
    }
    runStart = end;
  }
  if (runStart < to) {
    const peak = kernel.peaks(x, runStart, to, out, outOffset);
    if (peak > largest) largest = peak;
  }
  return largest;
}
