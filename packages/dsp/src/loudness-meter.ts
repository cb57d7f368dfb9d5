import { LacquerError } from '@lacquer/errors';
import { defaultChannelWeights } from './channel-weights.ts';
import { kWeightingCoefficients } from './k-weighting.ts';

/** Parameters of {@link createLoudnessMeter}. */
export interface LoudnessMeterOptions {
  /** 8000 to 768000 Hz. */
  readonly sampleRateHz: number;
  /** 1 to 8. */
  readonly channelCount: number;
  /** BS.1770 weights G_i, one per channel (default: {@link defaultChannelWeights}). */
  readonly channelWeights?: readonly number[];
}

/**
 * The K-weighted, channel-weighted energy of consecutive hops of `hopLengthSamples`
 * (10 ms): the raw material from which momentary, short-term, integrated loudness and
 * loudness range are all derived (see `loudness-windows.ts`).
 */
export interface HopEnergies {
  readonly sampleRateHz: number;
  readonly hopLengthSamples: number;
  /** Σ_i G_i·Σ z_i² over each complete hop (not divided by the hop length). */
  readonly energies: Float64Array;
}

/** A streaming BS.1770-4 meter: push blocks of any length, then read the hop energies. */
export interface LoudnessMeter {
  push(block: readonly Float32Array[]): void;
  /** The energies of every complete hop so far (a trailing partial hop is not counted). */
  hopEnergies(): HopEnergies;
}

/** The hop is 10 ms, the finest series resolution the conformance kit asks for. */
const HOPS_PER_SECOND = 100;

/**
 * Creates a streaming K-weighted energy meter per ITU-R BS.1770-4 §2 (K-weighting, mean
 * square, channel weighting). Filters run in float64; `push` does not allocate except to
 * grow the hop store (amortized, 8 bytes per 10 ms).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a rate or channel count out of range.
 */
export function createLoudnessMeter(options: LoudnessMeterOptions): LoudnessMeter {
  const { sampleRateHz, channelCount } = options;
  if (!(sampleRateHz >= 8000 && sampleRateHz <= 768000) || !(channelCount >= 1 && channelCount <= 8)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', 'loudness meter needs 8–768 kHz and 1–8 channels', {
      details: { sampleRateHz, channelCount },
    });
  }
  const weights = options.channelWeights ?? defaultChannelWeights(channelCount);
  const [shelf, highPass] = kWeightingCoefficients(sampleRateHz);
  const hopLengthSamples = Math.round(sampleRateHz / HOPS_PER_SECOND);
  // Per channel: x1, x2, y1, y2 of the shelf, then y1, y2 of the high-pass (its input is the shelf output).
  const state = Array.from({ length: channelCount }, () => new Float64Array(6));
  let energies = new Float64Array(1024);
  let completeHops = 0;
  let currentHopEnergy = 0;
  let currentHopFill = 0;

  function filterSegment(channel: Float32Array, s: Float64Array, from: number, to: number): number {
    const { b0, b1, b2, a1, a2 } = shelf;
    const hb0 = highPass.b0;
    const ha1 = highPass.a1;
    const ha2 = highPass.a2;
    let x1 = s[0]!;
    let x2 = s[1]!;
    let y1 = s[2]!;
    let y2 = s[3]!;
    let z1 = s[4]!;
    let z2 = s[5]!;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const x = channel[i]!;
      const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x;
      // RLB high-pass: b = [1, −2, 1], its input is the shelf output y.
      const z = hb0 * (y - 2 * y1 + y2) - ha1 * z1 - ha2 * z2;
      y2 = y1;
      y1 = y;
      z2 = z1;
      z1 = z;
      sum += z * z;
    }
    s[0] = x1;
    s[1] = x2;
    s[2] = y1;
    s[3] = y2;
    s[4] = z1;
    s[5] = z2;
    return sum;
  }

  function storeHop(energy: number): void {
    if (completeHops === energies.length) {
      const grown = new Float64Array(energies.length * 2);
      grown.set(energies);
      energies = grown;
    }
    energies[completeHops++] = energy;
  }

  return {
    push(block) {
      const length = block[0]?.length ?? 0;
      let offset = 0;
      while (offset < length) {
        const end = Math.min(length, offset + hopLengthSamples - currentHopFill);
        for (let c = 0; c < channelCount; c++) {
          const weight = weights[c]!;
          if (weight === 0) continue;
          currentHopEnergy += weight * filterSegment(block[c]!, state[c]!, offset, end);
        }
        currentHopFill += end - offset;
        offset = end;
        if (currentHopFill === hopLengthSamples) {
          storeHop(currentHopEnergy);
          currentHopEnergy = 0;
          currentHopFill = 0;
        }
      }
    },
    hopEnergies() {
      return { sampleRateHz, hopLengthSamples, energies: energies.subarray(0, completeHops) };
    },
  };
}
