import { assertParameter } from './assert-planar-audio.ts';
import type { Processor } from './processor.ts';

/** Parameters of {@link createTpdfDither}. */
export interface TpdfDitherOptions {
  /**
   * Word length of the target in bits, an integer 8…24 (16 for CD). One LSB is
   * `2^−(bitDepth−1)` of full scale (16 bits: 1/32768 ≈ −90.3 dBFS).
   */
  readonly bitDepth: number;
  /** Seed of the noise, an integer 0…2^32−1. The same seed and input give the same output, bit for bit. */
  readonly seed: number;
}

/** A {@link Processor} that dithers and quantizes; see {@link createTpdfDither}. */
export interface TpdfDither extends Processor {
  /** One LSB of the target word length, as a linear amplitude (16 bits: 1/32768). */
  readonly lsbLinear: number;
}

/**
 * Triangular-PDF (TPDF) dither and quantization to a `bitDepth` grid, after Lipshitz,
 * Wannamaker and Vanderkooy, "Quantization and Dither: A Theoretical Survey", J. Audio Eng.
 * Soc. 40(5), 1992: adding the sum of two independent uniform variables of ±0.5 LSB each
 * (a triangular density of ±1 LSB peak, 2 LSB peak to peak) before rounding makes the mean
 * and the variance of the total error independent of the signal: the error is a constant,
 * signal-independent noise of power LSB²/4 (−101.2 dBFS RMS at 16 bits), with no distortion
 * and no noise modulation of fades and reverb tails.
 *
 * `process(input, output)` writes `round(x·2^(bitDepth−1) + d) / 2^(bitDepth−1)` per sample,
 * where `d` is the dither in LSB: every output is exactly on the grid, so a later float → integer
 * conversion (ffmpeg's, a DAC's) is exact. Values beyond the word's range saturate at
 * `−1` and `1 − 1 LSB` (the integer it will be written as cannot hold more). NaN passes
 * through; validate before (decoders reject it).
 *
 * The noise is white and independent per channel and per sample: a counter-based generator
 * (the `triple32` integer hash of Chris Wellons' hash-prospector, 2018, over
 * seed, channel and sample position), so the output is the same for any block size.
 * No noise shaping. Latency 0 samples; `process` does not allocate; `reset` restarts the
 * noise sequence from the start. Input and output may be the same arrays.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` when `bitDepth` or `seed` is out of range.
 */
export function createTpdfDither(options: TpdfDitherOptions): TpdfDither {
  const { bitDepth, seed } = options;
  assertParameter(
    Number.isInteger(bitDepth) && bitDepth >= 8 && bitDepth <= 24,
    'TPDF dither',
    'bitDepth',
    bitDepth,
  );
  assertParameter(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff, 'TPDF dither', 'seed', seed);

  const stepsPerUnit = 2 ** (bitDepth - 1);
  const lsbLinear = 1 / stepsPerUnit;
  const maxStep = stepsPerUnit - 1;
  const minStep = -stepsPerUnit;
  const seedKey = triple32(seed);
  let positionSamples = 0;

  return {
    latencySamples: 0,
    lsbLinear,
    process(input, output) {
      const lengthSamples = input[0]?.length ?? 0;
      for (let c = 0; c < input.length; c++) {
        const x = input[c]!;
        const y = output[c]!;
        // Channels walk disjoint stretches of the hash's input space (a golden-ratio stride apart).
        const base = (seedKey + Math.imul(c, GOLDEN_RATIO_32) + positionSamples) | 0;
        for (let i = 0; i < lengthSamples; i++) {
          const h = triple32((base + i) | 0);
          // Two independent uniforms on (−0.5, 0.5) LSB from the two halves of the hash
          // (centred on half steps so their mean is exactly 0); their sum is triangular on (−1, 1).
          const ditherLsb = ((h & 0xffff) + (h >>> 16) + 1) * UNIFORM_STEP - 1;
          let step = Math.round(x[i]! * stepsPerUnit + ditherLsb);
          if (step > maxStep) step = maxStep;
          else if (step < minStep) step = minStep;
          y[i] = step * lsbLinear;
        }
      }
      positionSamples = (positionSamples + lengthSamples) % 0x100000000;
    },
    reset() {
      positionSamples = 0;
    },
  };
}

/** 2^32 / φ, the Weyl-sequence stride that spreads channel keys apart. */
const GOLDEN_RATIO_32 = 0x9e3779b9 | 0;

/** One step of a 16-bit uniform variable. */
const UNIFORM_STEP = 1 / 65536;

/** `triple32` (hash-prospector, C. Wellons 2018): a bijective 32-bit mixer with near-ideal avalanche. */
function triple32(value: number): number {
  let x = value | 0;
  x ^= x >>> 17;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  x ^= x >>> 14;
  return x >>> 0;
}
