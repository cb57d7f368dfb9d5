import {
  createInterSamplePeakKernel,
  INTER_SAMPLE_PEAK_CHUNK_SAMPLES,
  type InterSamplePeakKernel,
  interSamplePeaksAbove,
} from './inter-sample-peaks.ts';
import type { TruePeakInterpolator } from './true-peak-interpolator.ts';

/** Options of {@link truePeakEnvelope}. */
export interface TruePeakEnvelopeOptions {
  /**
   * Use the kernel's continuous mode (`createInterSamplePeakKernel`): `e[m]` is then the
   * parabolic estimate of the largest |value| in [m, m+1), between the grid points too, never
   * below the grid value. Default false (the BS.1770-4 grid, 4× below 96 kHz). A limiter that
   * must hold its ceiling on meters that resample finely (ffmpeg's ebur128 at 192 kHz) wants it.
   */
  readonly continuous?: boolean;
}

/**
 * The linked true-peak envelope of a programme: `e[m]` is the largest absolute value, over all
 * channels, of sample m and of the interpolated values between samples m and m+1 (BS.1770-4
 * Annex 2 oversampling with the shared kernel, `createInterSamplePeakKernel`; the programme is
 * taken to be preceded and followed by zeros, and the values before the first and after the
 * last sample count against the edge samples). A limiter whose gain at m keeps `gain·e[m]` at
 * or under its ceiling keeps the true peak there too, up to the small error of gain changes
 * inside the interpolator's span (see `limiterGainCurve`).
 *
 * Values that cannot exceed `floorLinear` are not interpolated: there `e[m]` is only the
 * sample value (a lower bound). A limiter never acts below its threshold, so passing the
 * threshold at the highest gain it will try as the floor gives an exact result where it
 * matters and skips most of the work elsewhere.
 *
 * With `options.continuous` the values are the continuous estimates (see
 * {@link TruePeakEnvelopeOptions}); at 1× they are then interpolated too.
 *
 * @param channels planar audio, all channels the same length.
 * @param floorLinear ≥ 0; 0 computes every value exactly.
 * @returns Float32Array of the channels' length.
 */
export function truePeakEnvelope(
  channels: readonly Float32Array[],
  interpolator: TruePeakInterpolator,
  floorLinear: number,
  options: TruePeakEnvelopeOptions = {},
): Float32Array {
  const continuous = options.continuous ?? false;
  const length = channels[0]?.length ?? 0;
  const envelope = new Float32Array(length);
  // The kernel's peaks include the samples; only where it skips do they need a pass of their own.
  const samplesOnly = interpolator.factor === 1 && !continuous;
  if (floorLinear > 0 || samplesOnly) {
    for (const x of channels) {
      for (let m = 0; m < length; m++) {
        const a = Math.abs(x[m]!);
        if (a > envelope[m]!) envelope[m] = a;
      }
    }
  }
  if (samplesOnly) return envelope;
  const kernel = createInterSamplePeakKernel(interpolator, { continuous });
  const { reachSamples: reach, delaySamples: delay } = kernel;
  const chunk = INTER_SAMPLE_PEAK_CHUNK_SAMPLES;
  // The kernel's peak at input index n is e[n − delay], for n in [delay, length + delay). Near
  // the ends, where it reads outside the programme, it runs on a zero-padded copy. The three
  // parts split at multiples of the skip chunk, so the chunks are those of one pass over n.
  const headEnd = Math.min(Math.max(1, Math.ceil(reach / chunk)) * chunk, length + delay);
  const tailStart = Math.max(headEnd, Math.floor(length / chunk) * chunk);
  // Before the first sample and after the last, the interpolated signal still rings (a
  // programme may start or stop abruptly); those values come from the edge samples, so they
  // count against e[0] and e[length − 1].
  const beforeStart = new Float32Array(delay);
  const afterEnd = new Float32Array(reach - delay);
  for (const x of channels) {
    paddedPeaks(kernel, x, 0, delay, beforeStart, 0, floorLinear);
    paddedPeaks(kernel, x, delay, headEnd, envelope, -delay, floorLinear);
    interSamplePeaksAbove(kernel, x, headEnd, tailStart, envelope, -delay, floorLinear);
    paddedPeaks(kernel, x, tailStart, length + delay, envelope, -delay, floorLinear);
    paddedPeaks(kernel, x, length + delay, length + reach, afterEnd, -(length + delay), floorLinear);
  }
  if (length > 0) {
    envelope[0] = Math.max(envelope[0]!, ...beforeStart);
    envelope[length - 1] = Math.max(envelope[length - 1]!, ...afterEnd);
  }
  return envelope;
}

/**
 * The kernel's peaks at input indices [from, to) of `x`, with zeros outside the programme,
 * maxed into `out[n + outShift]`.
 */
function paddedPeaks(
  kernel: InterSamplePeakKernel,
  x: Float32Array,
  from: number,
  to: number,
  out: Float32Array,
  outShift: number,
  floorLinear: number,
): void {
  if (from >= to) return;
  const reach = kernel.reachSamples;
  const first = from - reach;
  const copy = new Float32Array(to - first);
  for (let i = Math.max(0, first); i < Math.min(x.length, to); i++) copy[i - first] = x[i]!;
  interSamplePeaksAbove(kernel, copy, reach, copy.length, out, first + outShift, floorLinear);
}
