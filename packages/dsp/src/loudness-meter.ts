import { LacquerError } from '@lacquer/errors';
import { defaultChannelWeights } from './channel-weights.ts';
import { createKWeightingFilter } from './k-weighting-filter.ts';

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
  const hopLengthSamples = Math.round(sampleRateHz / HOPS_PER_SECOND);
  const filters = Array.from({ length: channelCount }, () => createKWeightingFilter(sampleRateHz));
  let energies = new Float64Array(1024);
  let completeHops = 0;
  let currentHopEnergy = 0;
  let currentHopFill = 0;

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
          currentHopEnergy += weight * filters[c]!.filter(block[c]!, offset, end);
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
