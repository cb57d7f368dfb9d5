import { RealSpectrum, scaledFftSize } from './real-spectrum.ts';

/** Frame length at 44.1/48 kHz (23 ms), scaled with the rate; the hop is half of it (11.6 ms). */
const BASE_FRAME_SAMPLES = 1024;
const HOP_DIVISOR = 2;
/**
 * Frame length after decimation: the channel average is decimated by
 * `frameSamples / 256` (4 at 44.1/48 kHz, to 11.025/12 kHz) so that each frame is a
 * 256-point transform with the same 23 ms length and 43 Hz bins.
 */
const DECIMATED_FRAME_SAMPLES = 256;
/** Flux bands: quarter-octave bands from 30 Hz to 5 kHz (23 of them hold bins 43–47 Hz apart). */
const FLUX_LOWEST_HZ = 30;
const FLUX_HIGHEST_HZ = 5000;
const FLUX_BANDS_PER_OCTAVE = 4;
/**
 * Weight of the high band (what decimation removes, about 5 kHz up): the number of
 * quarter-octave bands from 5 to 16 kHz it stands for, so a broadband hi-hat or cymbal onset
 * counts about as much as in a full-rate flux over 30 Hz … 16 kHz.
 */
const HIGH_BAND_WEIGHT = FLUX_BANDS_PER_OCTAVE * Math.log2(16_000 / FLUX_HIGHEST_HZ);
/** Log compression `log(1 + γ·E)` of band energies normalised to a full-scale sine = 1. */
const COMPRESSION_GAMMA = 1e6;
/** Decimated samples kept in the sliding buffer besides one frame (then compacted). */
const BUFFER_SLACK_SAMPLES = 16_384;

/** Options of {@link createOnsetFlux}. */
export interface OnsetFluxOptions {
  /** Finite, > 0. */
  readonly sampleRateHz: number;
  /** Channels per pushed block, ≥ 1. */
  readonly channelCount: number;
}

/** The streaming onset-strength front end of `estimateTempo`; see {@link createOnsetFlux}. */
export interface OnsetFlux {
  /** Flux frames per second (86.1 at 44.1 kHz). */
  readonly frameRateHz: number;
  /** Adds a block (one array per channel, all the same length). Allocates only to grow its flux store. */
  push(block: readonly Float32Array[]): void;
  /**
   * The flux of every frame so far (frame 0 reads 0: it has nothing to rise from), including
   * an odd last frame; call once, after the last block.
   */
  finish(): Float64Array;
}

/**
 * The onset strength of `estimateTempo` (its step 1 up to the moving average), streamed: the
 * channel average is split into blocks of `frameSamples / 256` samples (4 at 44.1/48 kHz),
 * whose means are the decimated low band and whose mean square about the mean is the power
 * the decimation removes; periodic Hann frames of 256 decimated samples every 128 give the
 * band-wise log-compressed spectral flux plus the weighted rise of the high band (see
 * `estimateTempo` for the method and its sources). More than two channels are averaged into
 * one first (rounded to float32 once).
 *
 * Memory: a sliding buffer of decimated samples (about 130 KB) and 8 bytes per flux frame
 * (2.5 MB per hour). Any split into blocks gives exactly the flux of one block.
 */
export function createOnsetFlux(options: OnsetFluxOptions): OnsetFlux {
  const { sampleRateHz, channelCount } = options;
  const fullFrameSamples = scaledFftSize(BASE_FRAME_SAMPLES, sampleRateHz);
  const factor = Math.max(1, fullFrameSamples / DECIMATED_FRAME_SAMPLES);
  const frameSamples = fullFrameSamples / factor;
  const hopSamples = frameSamples / HOP_DIVISOR;
  const decimatedRateHz = sampleRateHz / factor;

  const spectrum = new RealSpectrum(frameSamples);
  const halfSize = frameSamples / 2;
  // Bands as bin ranges [bandStart[b], bandStart[b + 1]): the bins from 30 Hz up to
  // min(5 kHz, Nyquist), each in quarter-octave band ⌊4·log2(f / 30 Hz)⌋.
  const bandOf = (k: number) =>
    Math.floor(FLUX_BANDS_PER_OCTAVE * Math.log2((k * decimatedRateHz) / frameSamples / FLUX_LOWEST_HZ));
  const firstBin = Math.max(1, Math.ceil((FLUX_LOWEST_HZ * frameSamples) / decimatedRateHz));
  const lastBin = Math.min(halfSize - 1, Math.floor((FLUX_HIGHEST_HZ * frameSamples) / decimatedRateHz));
  const bandStarts: number[] = [];
  for (let k = firstBin; k <= lastBin; k++) {
    if (k === firstBin || bandOf(k) !== bandOf(k - 1)) bandStarts.push(k);
  }
  bandStarts.push(lastBin + 1);
  const bandCount = bandStarts.length - 1;
  // |X|² of a full-scale sine is (Σw/2)²: normalise band energies to that.
  const powerScale = COMPRESSION_GAMMA / (spectrum.windowSum / 2) ** 2;
  const previous = new Float64Array(bandCount);
  // One-sided band energy of a band-limited power p: (N/2)·Σ w²·p (Parseval).
  const highBandWeights = spectrum.window.map((w) => (frameSamples / 2) * w * w);
  let previousHigh = 0;

  // Decimated samples [bufferStart, bufferStart + bufferFill) of the whole programme.
  const capacity = frameSamples + hopSamples + BUFFER_SLACK_SAMPLES;
  const lowBand = new Float32Array(capacity);
  const highBandPower = new Float32Array(capacity);
  let bufferStart = 0;
  let bufferFill = 0;
  // The decimation block in progress.
  let blockSum = 0;
  let blockSumOfSquares = 0;
  let blockFill = 0;
  let flux = new Float64Array(4096);
  let frameCount = 0;

  /** Log-compressed band energies of `bins` (frame at buffer index `at`) into `previous`; the summed rise. */
  const frameFlux = (bins: Float64Array, at: number): number => {
    let highEnergy = 0;
    for (let n = 0; n < frameSamples; n++) highEnergy += highBandWeights[n]! * highBandPower[at + n]!;
    const high = Math.log1p(powerScale * highEnergy);
    let sum = high > previousHigh ? HIGH_BAND_WEIGHT * (high - previousHigh) : 0;
    previousHigh = high;
    for (let b = 0; b < bandCount; b++) {
      let energy = 0;
      for (let k = bandStarts[b]!; k < bandStarts[b + 1]!; k++) {
        const re = bins[2 * k]!;
        const im = bins[2 * k + 1]!;
        energy += re * re + im * im;
      }
      const compressed = Math.log1p(powerScale * energy);
      const rise = compressed - previous[b]!;
      if (rise > 0) sum += rise;
      previous[b] = compressed;
    }
    return sum;
  };

  const storeFlux = (value: number): void => {
    if (frameCount === flux.length) {
      const grown = new Float64Array(flux.length * 2);
      grown.set(flux);
      flux = grown;
    }
    flux[frameCount++] = value;
  };

  /** Transforms every pair of frames the buffer holds; with `last`, an odd frame on its own too. */
  const transformFrames = (last: boolean): void => {
    const available = bufferStart + bufferFill;
    // Frames two at a time in one complex transform, as the whole-programme computation pairs them.
    while ((frameCount + 1) * hopSamples + frameSamples <= available) {
      const at = frameCount * hopSamples - bufferStart;
      spectrum.loadPair(lowBand, at, lowBand, at + hopSamples);
      spectrum.transformPair(lastBin);
      storeFlux(frameFlux(spectrum.bins, at));
      storeFlux(frameFlux(spectrum.secondBins, at + hopSamples));
    }
    if (last && frameCount * hopSamples + frameSamples <= available) {
      const at = frameCount * hopSamples - bufferStart;
      spectrum.loadChannel(lowBand, at);
      spectrum.transform();
      storeFlux(frameFlux(spectrum.bins, at));
    }
    // Keep what the next frame needs.
    const keepFrom = frameCount * hopSamples - bufferStart;
    if (keepFrom > 0 && bufferFill === capacity) {
      lowBand.copyWithin(0, keepFrom, bufferFill);
      highBandPower.copyWithin(0, keepFrom, bufferFill);
      bufferStart += keepFrom;
      bufferFill -= keepFrom;
    }
  };

  /** The sample of the channel average at `n` of `block`. */
  const mixAt =
    channelCount > 2
      ? (block: readonly Float32Array[], n: number): number => {
          // The channel average, rounded to float32 once; then the mono mix 0.5·(a + a) = a.
          let sum = 0;
          for (let c = 0; c < channelCount; c++) sum += block[c]![n]!;
          const average = Math.fround(sum / channelCount);
          return 0.5 * (average + average);
        }
      : // Mono reads its one channel twice, so one expression serves both.
        (block: readonly Float32Array[], n: number): number =>
          0.5 * (block[0]![n]! + block[channelCount - 1]![n]!);

  return {
    frameRateHz: decimatedRateHz / hopSamples,
    push(block) {
      const length = block[0]?.length ?? 0;
      // Locals in the loop: V8 keeps them in registers (closure variables it would not).
      let sum = blockSum;
      let sumOfSquares = blockSumOfSquares;
      let fill = blockFill;
      for (let n = 0; n < length; n++) {
        const mix = mixAt(block, n);
        sum += mix;
        sumOfSquares += mix * mix;
        if (++fill < factor) continue;
        const mean = sum / factor;
        lowBand[bufferFill] = mean;
        highBandPower[bufferFill] = Math.max(0, sumOfSquares / factor - mean * mean);
        sum = 0;
        sumOfSquares = 0;
        fill = 0;
        if (++bufferFill === capacity) transformFrames(false);
      }
      blockSum = sum;
      blockSumOfSquares = sumOfSquares;
      blockFill = fill;
      transformFrames(false);
    },
    finish() {
      transformFrames(true);
      const result = flux.slice(0, frameCount);
      // The first frame has nothing to rise from.
      if (frameCount > 0) result[0] = 0;
      return result;
    },
  };
}
