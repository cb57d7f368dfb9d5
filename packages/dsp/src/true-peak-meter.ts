import { createTruePeakInterpolator, truePeakOversamplingFactor } from './true-peak-interpolator.ts';

/** A streaming sample-peak and true-peak meter. */
export interface PeakMeter {
  push(block: readonly Float32Array[]): void;
  /** Largest |x| per channel, linear (1.0 = 0 dBFS). */
  samplePeaksLinear(): number[];
  /**
   * Largest |x| per channel of the oversampled signal, linear (1.0 = 0 dBTP), never below the
   * sample peak; includes the inter-sample values after the last sample.
   */
  truePeaksLinear(): number[];
}

/** Samples scanned per skip test; small enough to skip quiet passages between peaks. */
const CHUNK_LENGTH_SAMPLES = 32;

/**
 * Creates a true-peak meter per ITU-R BS.1770-4 Annex 2 (oversampled by
 * {@link truePeakOversamplingFactor}, absolute values, no 12.04 dB headroom attenuation since
 * the computation is in floating point).
 *
 * Exact shortcut: an interpolated value is at most `gainBound × max|x|` over the taps it
 * uses, so a chunk whose bound cannot beat the peak found so far is not interpolated. On
 * music this skips most of the work without changing the result.
 */
export function createPeakMeter(options: { sampleRateHz: number; channelCount: number }): PeakMeter {
  const interpolator = createTruePeakInterpolator(truePeakOversamplingFactor(options.sampleRateHz));
  const { phases, tapsPerPhase, gainBound } = interpolator;
  const historyLength = tapsPerPhase - 1;
  const samplePeaks = new Float64Array(options.channelCount);
  const truePeaks = new Float64Array(options.channelCount);
  // Per channel: the last `historyLength` samples followed by the current block.
  let work = Array.from({ length: options.channelCount }, () => new Float32Array(historyLength + 8192));

  function interpolatedMax(x: Float32Array, from: number, to: number, best: number): number {
    for (let chunk = from; chunk < to; chunk += CHUNK_LENGTH_SAMPLES) {
      const chunkEnd = Math.min(to, chunk + CHUNK_LENGTH_SAMPLES);
      let localMax = 0;
      for (let i = chunk - historyLength; i < chunkEnd; i++) {
        const a = Math.abs(x[i]!);
        if (a > localMax) localMax = a;
      }
      if (localMax * gainBound <= best) continue;
      for (let n = chunk; n < chunkEnd; n++) {
        for (let p = 1; p < phases.length; p++) {
          const h = phases[p]!;
          let acc = 0;
          for (let k = 0; k < tapsPerPhase; k++) acc += h[k]! * x[n - k]!;
          const a = Math.abs(acc);
          if (a > best) best = a;
        }
      }
    }
    return best;
  }

  return {
    push(block) {
      const length = block[0]?.length ?? 0;
      if (length === 0) return;
      if (work[0]!.length < historyLength + length) {
        work = work.map((old) => {
          const grown = new Float32Array(historyLength + length);
          grown.set(old.subarray(0, historyLength));
          return grown;
        });
      }
      for (let c = 0; c < options.channelCount; c++) {
        const input = block[c]!;
        const x = work[c]!;
        x.set(input, historyLength);
        let peak = samplePeaks[c]!;
        for (let i = 0; i < length; i++) {
          const a = Math.abs(input[i]!);
          if (a > peak) peak = a;
        }
        samplePeaks[c] = peak;
        const best = Math.max(truePeaks[c]!, peak);
        truePeaks[c] =
          phases.length > 1 ? interpolatedMax(x, historyLength, historyLength + length, best) : best;
        x.copyWithin(0, length, historyLength + length);
      }
    },
    samplePeaksLinear: () => Array.from(samplePeaks),
    truePeaksLinear() {
      if (phases.length === 1) return Array.from(truePeaks);
      // Flush: the values between the last samples need the zeros that follow the programme.
      return Array.from(truePeaks, (peak, c) => {
        const tail = new Float32Array(2 * historyLength);
        tail.set(work[c]!.subarray(0, historyLength));
        return interpolatedMax(tail, historyLength, 2 * historyLength, peak);
      });
    },
  };
}
