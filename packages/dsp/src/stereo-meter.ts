import type { StereoImage } from './measure-stereo.ts';

/** A streaming {@link StereoImage} meter: push planar blocks of any length, then read the result. */
export interface StereoMeter {
  /** Adds a block (one array per channel, all the same length; channels past the second are ignored). */
  push(block: readonly Float32Array[]): void;
  /** The stereo image of everything pushed so far (see `measureStereo` for the method and edge cases). */
  result(): StereoImage;
}

/**
 * Creates the streaming form of `measureStereo`: the sums it needs, accumulated in float64 in
 * sample order, so any split into blocks gives exactly (bit for bit) the result of one block.
 *
 * @param channelCount channels per pushed block, ≥ 1 (mono reads as dual mono).
 */
export function createStereoMeter(channelCount: number): StereoMeter {
  let sumL = 0;
  let sumR = 0;
  let sumLL = 0;
  let sumRR = 0;
  let sumLR = 0;
  let sumMid2 = 0;
  let sumSide2 = 0;
  let lengthSamples = 0;
  return {
    push(block) {
      if (channelCount < 2) return;
      const left = block[0]!;
      const right = block[1]!;
      const length = left.length;
      // Locals in the loop: V8 keeps them in registers (closure variables it would not).
      let sl = sumL;
      let sr = sumR;
      let sll = sumLL;
      let srr = sumRR;
      let slr = sumLR;
      let smm = sumMid2;
      let sss = sumSide2;
      for (let i = 0; i < length; i++) {
        const l = left[i]!;
        const r = right[i]!;
        sl += l;
        sr += r;
        sll += l * l;
        srr += r * r;
        slr += l * r;
        // Summed directly rather than from ΣL², ΣLR, ΣR², so near-mono side energy keeps its precision.
        const mid = l + r;
        const side = l - r;
        smm += mid * mid;
        sss += side * side;
      }
      sumL = sl;
      sumR = sr;
      sumLL = sll;
      sumRR = srr;
      sumLR = slr;
      sumMid2 = smm;
      sumSide2 = sss;
      lengthSamples += length;
    },
    result() {
      const dualMono = { correlation: 1, sideToMidDb: Number.NEGATIVE_INFINITY, widthRatio: 0 };
      if (channelCount < 2) return dualMono;
      // 4·Σ M² and 4·Σ S²: the common factor cancels in both ratios.
      const midEnergy = sumMid2;
      const sideEnergy = sumSide2;
      if (midEnergy + sideEnergy === 0) return dualMono;
      const n = lengthSamples;
      const covariance = sumLR - (sumL * sumR) / n;
      const varianceL = Math.max(0, sumLL - (sumL * sumL) / n);
      const varianceR = Math.max(0, sumRR - (sumR * sumR) / n);
      let correlation: number;
      if (varianceL === 0 && varianceR === 0) correlation = 1;
      else if (varianceL === 0 || varianceR === 0) correlation = 0;
      else correlation = Math.min(1, Math.max(-1, covariance / Math.sqrt(varianceL * varianceR)));
      return {
        correlation,
        sideToMidDb: 10 * Math.log10(sideEnergy / midEnergy),
        widthRatio: sideEnergy / (midEnergy + sideEnergy),
      };
    },
  };
}
