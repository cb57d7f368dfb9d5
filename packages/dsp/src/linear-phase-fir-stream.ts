import { assertParameter } from './assert-planar-audio.ts';
import {
  assertLinearPhaseTaps,
  fftFrameLengthSamples,
  isUnitImpulse,
  PackedFftConvolver,
} from './fft-fir-filter.ts';
import { midSideConvolver } from './mid-side-fir.ts';

/** Options of {@link createLinearPhaseFirStream}. */
export interface LinearPhaseFirStreamOptions {
  /** The mono channel's taps, or the mid's `(L + R)/2` for stereo: odd length, finite, exactly symmetric. */
  readonly midTaps: Float32Array;
  /** Stereo only: the side's `(L − R)/2` taps, the same length as `midTaps`. */
  readonly sideTaps?: Float32Array;
  /** Frames of the whole programme (≥ 0): picks the FFT frame as the whole-programme functions do. */
  readonly lengthSamples: number;
}

/** A streaming form of `applyFirInPlace` / `applyMidSideFirInPlace`; see {@link createLinearPhaseFirStream}. */
export interface LinearPhaseFirStream {
  /**
   * Delay in frames: output frame n + latencySamples is the filtered input frame n (zeros come
   * out before). `hop + (L − 1)/2 − 1` for taps of length L and the frame's hop; 0 when the
   * filter is the identity (unit impulses), which passes samples through untouched.
   */
  readonly latencySamples: number;
  /**
   * Filters a block of any length (one array per channel, 1 or 2 channels as created);
   * `output` may be `input` itself. Does not allocate.
   */
  process(input: readonly Float32Array[], output: readonly Float32Array[]): void;
  /**
   * Drains the delay: writes the last `latencySamples` frames into `output[c][0…latencySamples)`,
   * exactly as processing that many frames of zeros would.
   */
  flush(output: readonly Float32Array[]): void;
}

/**
 * The linear-phase FIR of `applyFirInPlace` (mono) or the mid/side FIR of
 * `applyMidSideFirInPlace` (stereo, `sideTaps` given) for a programme too long to hold:
 * the same overlap-save frames at the same positions (frame k holds signal samples
 * `k·hop − (L − 1)/2 …`, zeros before the start and after the end) through the same packed
 * complex FFT, so the output, once its delay is dropped, equals theirs bit for bit. Memory:
 * the FFT frame (about 2.6 MB for 16385 taps), whatever the length of the programme.
 *
 * Latency compensation as for any delayed processor (`applyProcessor`, `createTruePeakLimiter`):
 * drop the first `latencySamples` output frames and call {@link LinearPhaseFirStream.flush} at
 * the end; the output then has the input's length and alignment.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for taps that are not of that form, side taps of
 *   another length, or a negative length.
 */
export function createLinearPhaseFirStream(options: LinearPhaseFirStreamOptions): LinearPhaseFirStream {
  const what = 'createLinearPhaseFirStream';
  const { midTaps, sideTaps, lengthSamples } = options;
  assertLinearPhaseTaps(midTaps, what, 'midTaps');
  if (sideTaps) {
    assertLinearPhaseTaps(sideTaps, what, 'sideTaps');
    assertParameter(sideTaps.length === midTaps.length, what, 'sideTaps.length', sideTaps.length);
  }
  assertParameter(
    Number.isInteger(lengthSamples) && lengthSamples >= 0,
    what,
    'lengthSamples',
    lengthSamples,
  );
  const stride = sideTaps ? 2 : 1;
  if (isUnitImpulse(midTaps) && (!sideTaps || isUnitImpulse(sideTaps))) {
    // As the whole-programme functions: the identity leaves the samples untouched.
    return {
      latencySamples: 0,
      process(input, output) {
        for (let c = 0; c < stride; c++) if (output[c] !== input[c]) output[c]!.set(input[c]!);
      },
      flush() {},
    };
  }

  const frameLengthSamples = fftFrameLengthSamples(midTaps.length, Math.max(1, lengthSamples));
  const convolver = sideTaps
    ? midSideConvolver(midTaps, sideTaps, frameLengthSamples)
    : PackedFftConvolver.forChannel(midTaps, frameLengthSamples);
  const { input: frame, output: filtered } = convolver;
  const spanSamples = midTaps.length - 1;
  const halfLengthSamples = spanSamples / 2;
  const hopSamples = frameLengthSamples - spanSamples;
  const latencySamples = hopSamples + halfLengthSamples - 1;
  // The first frame starts (L − 1)/2 samples before the signal: zeros there.
  let filledSamples = halfLengthSamples;
  // Frames taken in so far, and the next filtered sample of the last frame to hand out.
  let arrivals = 0;
  let nextOut = 0;

  /** Takes `count` frames from `input` (zeros when null) at `inputOffset`; writes as many to `output` at `outputOffset`. */
  function run(
    input: readonly Float32Array[] | null,
    inputOffset: number,
    output: readonly Float32Array[],
    outputOffset: number,
    count: number,
  ): void {
    let done = 0;
    while (done < count) {
      const take = Math.min(count - done, frameLengthSamples - filledSamples);
      const completes = filledSamples + take === frameLengthSamples;
      // Before the first frame is complete the output is the zeros of the delay; the arrival
      // that completes a frame gets that frame's first output.
      const zeros = Math.max(0, Math.min(take, latencySamples - arrivals));
      const fromLastFrame = (completes ? take - 1 : take) - zeros;
      const at = inputOffset + done;
      const to = outputOffset + done;
      for (let c = 0; c < stride; c++) {
        // All of the run's input is read before its output is written (in place).
        const x = input?.[c];
        let j = stride * filledSamples + c;
        if (x === undefined) {
          for (let i = 0; i < take; i++, j += stride) frame[j] = 0;
        } else {
          for (let i = at, end = at + take; i < end; i++, j += stride) frame[j] = x[i]!;
        }
        const y = output[c]!;
        y.fill(0, to, to + zeros);
        let k = stride * (halfLengthSamples + nextOut) + c;
        for (let i = to + zeros, end = i + fromLastFrame; i < end; i++, k += stride) y[i] = filtered[k]!;
      }
      nextOut += fromLastFrame;
      arrivals += take;
      filledSamples += take;
      done += take;
      if (completes) {
        convolver.convolve();
        // The last L − 1 samples of this frame are the next one's history.
        frame.copyWithin(0, stride * hopSamples, stride * frameLengthSamples);
        filledSamples = spanSamples;
        for (let c = 0; c < stride; c++)
          output[c]![to + take - 1] = filtered[stride * halfLengthSamples + c]!;
        nextOut = 1;
      }
    }
  }

  return {
    latencySamples,
    process(input, output) {
      const length = input[0]?.length ?? 0;
      run(input, 0, output, 0, length);
    },
    flush(output) {
      run(null, 0, output, 0, latencySamples);
    },
  };
}
