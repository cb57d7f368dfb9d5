import type { ChannelLevels, Levels } from './measure-levels.ts';

/** A streaming {@link Levels} meter: push planar blocks of any length, then read the result. */
export interface LevelsMeter {
  /** Adds a block (one array per channel, all the same length). Does not allocate. */
  push(block: readonly Float32Array[]): void;
  /** The levels of everything pushed so far (see `measureLevels` for conventions and edge cases). */
  result(): Levels;
}

/**
 * Creates the streaming form of `measureLevels`: per channel the running peak, sum and sum of
 * squares in float64, in sample order, so any split into blocks gives exactly (bit for bit)
 * the result of one block.
 *
 * @param channelCount channels per pushed block, ≥ 1.
 */
export function createLevelsMeter(channelCount: number): LevelsMeter {
  const peaks = new Float64Array(channelCount);
  const sums = new Float64Array(channelCount);
  const squareSums = new Float64Array(channelCount);
  let lengthSamples = 0;
  return {
    push(block) {
      for (let c = 0; c < channelCount; c++) {
        const channel = block[c]!;
        let peakLinear = peaks[c]!;
        let sum = sums[c]!;
        let squareSum = squareSums[c]!;
        for (let i = 0; i < channel.length; i++) {
          const x = channel[i]!;
          // Branch-free max: several times faster than a compare on noisy data.
          peakLinear = Math.max(peakLinear, Math.abs(x));
          sum += x;
          squareSum += x * x;
        }
        peaks[c] = peakLinear;
        sums[c] = sum;
        squareSums[c] = squareSum;
      }
      lengthSamples += block[0]?.length ?? 0;
    },
    result() {
      const channels: ChannelLevels[] = [];
      let overallPeakLinear = 0;
      let overallSquareSum = 0;
      for (let c = 0; c < channelCount; c++) {
        const meanSquare = lengthSamples > 0 ? squareSums[c]! / lengthSamples : 0;
        const dcOffsetLinear = lengthSamples > 0 ? sums[c]! / lengthSamples : 0;
        channels.push(channelLevels(peaks[c]!, meanSquare, dcOffsetLinear));
        if (peaks[c]! > overallPeakLinear) overallPeakLinear = peaks[c]!;
        overallSquareSum += squareSums[c]!;
      }
      const totalSamples = lengthSamples * channelCount;
      const samplePeakDbfs = 20 * Math.log10(overallPeakLinear);
      const rmsDbfs = 10 * Math.log10(totalSamples > 0 ? overallSquareSum / totalSamples : 0);
      return { channels, samplePeakDbfs, rmsDbfs, crestFactorDb: crestFactor(samplePeakDbfs, rmsDbfs) };
    },
  };
}

function channelLevels(peakLinear: number, meanSquare: number, dcOffsetLinear: number): ChannelLevels {
  const samplePeakDbfs = 20 * Math.log10(peakLinear);
  const rmsDbfs = 10 * Math.log10(meanSquare);
  return {
    samplePeakDbfs,
    rmsDbfs,
    crestFactorDb: crestFactor(samplePeakDbfs, rmsDbfs),
    dcOffsetLinear,
    dcOffsetDbfs: 20 * Math.log10(Math.abs(dcOffsetLinear)),
  };
}

function crestFactor(peakDbfs: number, rmsDbfs: number): number | null {
  return Number.isFinite(rmsDbfs) ? peakDbfs - rmsDbfs : null;
}
