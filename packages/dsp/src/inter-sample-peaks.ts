import type { TruePeakInterpolator } from './true-peak-interpolator.ts';

/**
 * The per-sample inter-sample peak of a signal through a {@link TruePeakInterpolator}: at
 * input index n, the largest |value| at the times n − delay + p/factor, p = 0 … factor − 1
 * (ITU-R BS.1770-4 Annex 2 oversampling; p = 0 is the sample x[n − delay] itself, which the
 * interpolator reproduces exactly). So the peak at n covers [n − delay, n − delay + 1).
 */
export interface InterSamplePeakKernel {
  /** Samples of history the peak at n reads: x[n − reachSamples … n] (taps per branch − 1). */
  readonly reachSamples: number;
  /** Group delay of the interpolator in input samples (its `latencySamples`). */
  readonly delaySamples: number;
  /** The interpolator's `gainBound`: every peak at n is ≤ gainBound · max|x[n − reach … n]|. */
  readonly gainBound: number;
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
 * Builds the fastest kernel for an interpolator: the branches folded by their mirror
 * symmetry (the `createTruePeakInterpolator` designs all have it), unrolled for 4× with
 * 24-tap branches; the direct form for an interpolator without the symmetry (and for 1×,
 * where the peak is |x[n]|). All forms give the same values up to float64 rounding.
 */
export function createInterSamplePeakKernel(interpolator: TruePeakInterpolator): InterSamplePeakKernel {
  const { phases, tapsPerPhase, gainBound, latencySamples } = interpolator;
  const reachSamples = tapsPerPhase - 1;
  const mirrored = mirrorBranches(phases, tapsPerPhase);
  let peaks: PeaksFunction;
  if (mirrored === null) peaks = directPeaks(interpolator);
  else if (phases.length === 4 && mirrored.half === 12 && latencySamples === 12)
    peaks = mirroredPeaks4(mirrored);
  else peaks = mirroredPeaks(mirrored, reachSamples, latencySamples);
  return { reachSamples, delaySamples: latencySamples, gainBound, peaks };
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
