import { LacquerError } from '@lacquer/errors';
import type { Processor } from './processor.ts';

/** The static curve of a compressor: where it starts, how hard and how gradually. */
export interface CompressorCurve {
  /** Level above which the gain is reduced, dB (RMS, see {@link createCompressor}), −60 to 0. */
  readonly thresholdDb: number;
  /** Input dB over threshold per output dB over threshold, 1 (no compression) to `Infinity`. */
  readonly ratio: number;
  /** Width of the soft knee centred on the threshold, dB, 0 (hard knee) to 24. */
  readonly kneeDb: number;
}

/** Parameters of {@link createCompressor}. */
export interface CompressorOptions extends CompressorCurve {
  /** 8000 to 768000 Hz. */
  readonly sampleRateHz: number;
  /** 1 to 8. */
  readonly channelCount: number;
  /** Attack time constant, ms, 0 (instant) to 1000: the gain reduction covers 1 − 1/e ≈ 63 % of a step up in that time. */
  readonly attackMs: number;
  /** Release time constant, ms, 1 to 5000: the gain reduction covers 63 % of a step down in that time. */
  readonly releaseMs: number;
  /** Gain added after compression, dB, −24 to +24 (not counted as gain reduction). */
  readonly makeupGainDb: number;
  /**
   * Detect on the loudest channel and apply one gain to all (default `true`), so a loud left
   * channel does not move the stereo image; `false` compresses each channel on its own.
   */
  readonly stereoLink?: boolean;
  /** Time constant of the RMS level detector, ms, 0.1 to 300 (default 10). */
  readonly rmsWindowMs?: number;
}

/** A compressor with gain-reduction metering for reports. */
export interface Compressor extends Processor {
  /** Gain reduction at the last processed frame, dB (≥ 0, largest over channels, makeup excluded). */
  readonly gainReductionDb: number;
  /** Largest gain reduction since creation or `reset()`, dB (≥ 0, makeup excluded). */
  readonly maxGainReductionDb: number;
}

/**
 * The gain computer's static curve with a soft knee (Giannoulis, Massberg & Reiss 2012, eq. 4):
 * output level in dB for a steady input level `inputLevelDb`. Below threshold − knee/2 it is
 * the identity; above threshold + knee/2 it is threshold + (input − threshold)/ratio; in
 * between, a quadratic that joins the two with matching value and slope. `-Infinity` in gives
 * `-Infinity` out.
 */
export function compressorStaticCurveDb(inputLevelDb: number, curve: CompressorCurve): number {
  const { thresholdDb, ratio, kneeDb } = curve;
  const overDb = inputLevelDb - thresholdDb;
  if (2 * overDb <= -kneeDb) return inputLevelDb;
  if (2 * overDb >= kneeDb) return thresholdDb + overDb / ratio;
  const intoKneeDb = overDb + kneeDb / 2;
  return inputLevelDb + ((1 / ratio - 1) * intoKneeDb * intoKneeDb) / (2 * kneeDb);
}

/** Frames per internal chunk: the size of the preallocated level and gain buffers. */
const CHUNK_LENGTH_SAMPLES = 256;
/**
 * Smoothed gain reduction below this (dB) is set to exactly 0, so that after a release the
 * gain returns to exactly unity (a one-pole only approaches its target). 10⁻⁹ dB is a gain
 * change of 1.2·10⁻¹⁰, far below float32 resolution (6·10⁻⁸).
 */
const GAIN_REDUCTION_FLOOR_DB = 1e-9;
/**
 * Mean-square detector state below this is set to 0 at the end of a block, to keep it out of
 * float64 subnormals in digital silence; it is −400 dB, far below any threshold (so it cannot
 * change the output).
 */
const MEAN_SQUARE_FLUSH_LIMIT = 1e-40;
const DB_PER_NEPER = 20 / Math.LN10;

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', `${name} ${value} is outside ${min}…${max}`, {
      details: { [name]: value },
    });
  }
}

function checkInteger(name: string, value: number): void {
  if (!Number.isInteger(value)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', `${name} ${value} is not an integer`, {
      details: { [name]: value },
    });
  }
}

/**
 * Creates a feed-forward compressor after Giannoulis, Massberg & Reiss, "Digital Dynamic Range
 * Compressor Design — A Tutorial and Analysis", JAES 60(6), 2012:
 *
 * 1. Level detection: RMS, an exponential (one-pole) mean square of each channel with
 *    `rmsWindowMs`, in dB as 10·log10(mean square). A steady sine of peak A reads
 *    20·log10(A) − 3.01 dB; DC or a square wave of ±A reads 20·log10(A). RMS rather than peak
 *    because it is what a mastering "glue" compressor answers to, and because it gives a steady
 *    level for a steady tone (a peak detector ripples at twice the frequency, so its static
 *    curve only holds approximately). With `stereoLink`, the level is that of the loudest channel.
 * 2. Gain computer: {@link compressorStaticCurveDb}; gain reduction = level − curve(level).
 * 3. Smoothing in the log domain, after the gain computer, with the smooth branching peak
 *    detector (§3.2, eq. 17): α = exp(−1 / (τ·fs)), the attack coefficient while the gain
 *    reduction rises, the release coefficient while it falls. τ is a 1 − 1/e (63 %) time
 *    constant; the RMS detector adds its own, short, delay in front.
 * 4. Gain = makeup − smoothed reduction, applied to every channel (one gain when linked).
 *
 * Below threshold − knee/2 the gain is exactly unity (times makeup): samples pass unchanged.
 * Latency 0 samples. `process` handles any block size (same result as one block), works in
 * place, and does not allocate; state is float64.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for any parameter outside its documented range.
 */
export function createCompressor(options: CompressorOptions): Compressor {
  const { sampleRateHz, channelCount, thresholdDb, ratio, kneeDb, attackMs, releaseMs, makeupGainDb } =
    options;
  const stereoLink = options.stereoLink ?? true;
  const rmsWindowMs = options.rmsWindowMs ?? 10;
  checkRange('sampleRateHz', sampleRateHz, 8000, 768000);
  checkRange('channelCount', channelCount, 1, 8);
  checkInteger('channelCount', channelCount);
  checkRange('thresholdDb', thresholdDb, -60, 0);
  checkRange('ratio', ratio, 1, Number.POSITIVE_INFINITY);
  checkRange('kneeDb', kneeDb, 0, 24);
  checkRange('attackMs', attackMs, 0, 1000);
  checkRange('releaseMs', releaseMs, 1, 5000);
  checkRange('makeupGainDb', makeupGainDb, -24, 24);
  checkRange('rmsWindowMs', rmsWindowMs, 0.1, 300);

  const slopeFactor = 1 / ratio - 1;
  const kneeStartDb = thresholdDb - kneeDb / 2;
  const kneeEndDb = thresholdDb + kneeDb / 2;
  // Mean squares at or below the knee start give no reduction: skip the log there.
  const kneeStartPower = 10 ** (kneeStartDb / 10);
  const rmsCoefficient = 1 - Math.exp(-1000 / (rmsWindowMs * sampleRateHz));
  const attackAlpha = Math.exp(-1000 / (attackMs * sampleRateHz));
  const releaseAlpha = Math.exp(-1000 / (releaseMs * sampleRateHz));
  const makeupLinear = 10 ** (makeupGainDb / 20);

  const meanSquares = new Float64Array(channelCount);
  const reductionsDb = new Float64Array(channelCount);
  const levelBuffer = new Float64Array(CHUNK_LENGTH_SAMPLES);
  const gainBuffer = new Float64Array(CHUNK_LENGTH_SAMPLES);
  let maxReductionDb = 0;

  /** Gain reduction in dB the static curve asks for at mean square `power`. */
  function targetReductionDb(power: number): number {
    if (power <= kneeStartPower) return 0;
    const levelDb = 10 * Math.log10(power);
    // A hard knee never reaches the quadratic (which would divide by zero) however log10 rounds.
    if (levelDb >= kneeEndDb || kneeDb === 0) return (levelDb - thresholdDb) * -slopeFactor;
    const intoKneeDb = levelDb - kneeStartDb;
    return (-slopeFactor * intoKneeDb * intoKneeDb) / (2 * kneeDb);
  }

  /** Smooths the reduction over the level buffer (branching detector) and fills the gain buffer. */
  function smoothedGains(count: number, channel: number): void {
    let reductionDb = reductionsDb[channel]!;
    let peakDb = maxReductionDb;
    for (let i = 0; i < count; i++) {
      const targetDb = targetReductionDb(levelBuffer[i]!);
      const alpha = targetDb > reductionDb ? attackAlpha : releaseAlpha;
      reductionDb = alpha * reductionDb + (1 - alpha) * targetDb;
      if (reductionDb < GAIN_REDUCTION_FLOOR_DB) reductionDb = 0;
      if (reductionDb > peakDb) peakDb = reductionDb;
      gainBuffer[i] = reductionDb === 0 ? makeupLinear : makeupLinear * Math.exp(-reductionDb / DB_PER_NEPER);
    }
    reductionsDb[channel] = reductionDb;
    maxReductionDb = peakDb;
  }

  /** Updates channel c's mean square over [offset, offset+count), max-combined into the level buffer. */
  function detect(x: Float32Array, c: number, offset: number, count: number, combine: boolean): void {
    let ms = meanSquares[c]!;
    for (let i = 0; i < count; i++) {
      const v = x[offset + i]!;
      ms += rmsCoefficient * (v * v - ms);
      if (!combine || ms > levelBuffer[i]!) levelBuffer[i] = ms;
    }
    meanSquares[c] = ms < MEAN_SQUARE_FLUSH_LIMIT ? 0 : ms;
  }

  function applyGains(x: Float32Array, y: Float32Array, offset: number, count: number): void {
    for (let i = 0; i < count; i++) y[offset + i] = x[offset + i]! * gainBuffer[i]!;
  }

  return {
    latencySamples: 0,
    get gainReductionDb() {
      let largest = 0;
      for (const r of reductionsDb) largest = Math.max(largest, r);
      return largest;
    },
    get maxGainReductionDb() {
      return maxReductionDb;
    },
    process(input, output) {
      const length = input[0]?.length ?? 0;
      for (let offset = 0; offset < length; offset += CHUNK_LENGTH_SAMPLES) {
        const count = Math.min(CHUNK_LENGTH_SAMPLES, length - offset);
        if (stereoLink) {
          // All channels are read before any is written, so in-place processing is safe.
          for (let c = 0; c < channelCount; c++) detect(input[c]!, c, offset, count, c > 0);
          smoothedGains(count, 0);
          for (let c = 0; c < channelCount; c++) applyGains(input[c]!, output[c]!, offset, count);
        } else {
          for (let c = 0; c < channelCount; c++) {
            detect(input[c]!, c, offset, count, false);
            smoothedGains(count, c);
            applyGains(input[c]!, output[c]!, offset, count);
          }
        }
      }
    },
    reset() {
      meanSquares.fill(0);
      reductionsDb.fill(0);
      maxReductionDb = 0;
    },
  };
}
