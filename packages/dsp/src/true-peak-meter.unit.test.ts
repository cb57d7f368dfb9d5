import { expectWithin, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { continuousPeaksByDefinition } from './test-support/continuous-peak-definition.ts';
import { createTruePeakInterpolator, truePeakOversamplingFactor } from './true-peak-interpolator.ts';
import { createPeakMeter } from './true-peak-meter.ts';

/**
 * Meter against the definition, both float64 on |x| ≤ 1: the meter's folded branches sum in
 * another order (~10⁻¹⁶); a missed branch, tap or block edge would differ by 10⁻³ or more.
 */
const FLOAT64_REORDERING = 1e-12;
/** Block size does not change the arithmetic: the same values, the same maximum. */
const IDENTICAL = 0;

/** Largest |value| of the oversampled signal from the definition, zeros before and after it. */
function definitionTruePeak(x: Float32Array, sampleRateHz: number): number {
  const { phases, tapsPerPhase } = createTruePeakInterpolator(truePeakOversamplingFactor(sampleRateHz));
  const reach = tapsPerPhase - 1;
  const padded = new Float64Array(x.length + 2 * reach);
  padded.set(x, reach);
  let best = 0;
  for (let n = reach; n < padded.length; n++) {
    for (const h of phases) {
      let acc = 0;
      for (let k = 0; k < tapsPerPhase; k++) acc += h[k]! * padded[n - k]!;
      best = Math.max(best, Math.abs(acc));
    }
  }
  return best;
}

/** Largest continuous estimate from the definition (`continuousPeaksByDefinition`). */
function definitionContinuousTruePeak(x: Float32Array, sampleRateHz: number): number {
  const interpolator = createTruePeakInterpolator(truePeakOversamplingFactor(sampleRateHz));
  return Math.max(0, ...continuousPeaksByDefinition(x, interpolator).map(([, peak]) => peak));
}

function meter(
  channels: readonly Float32Array[],
  sampleRateHz: number,
  blockLength: number,
  continuous = false,
) {
  const m = createPeakMeter({ sampleRateHz, channelCount: channels.length, continuous });
  const length = channels[0]!.length;
  for (let start = 0; start < length; start += blockLength) {
    m.push(channels.map((c) => c.subarray(start, start + blockLength)));
  }
  return m;
}

describe('createPeakMeter', () => {
  it.each([44100, 96000, 192000])(
    'differential: at %i Hz the true peak is the definition, including the values after the last sample',
    (sampleRateHz) => {
      for (const lengthSamples of [1, 7, 40, 3000]) {
        const { channels } = whiteNoise({
          sampleRateHz,
          durationSeconds: lengthSamples / sampleRateHz,
          rmsDbfs: -10,
          seed: lengthSamples,
        });
        // A loud alternating pair at the very end: its largest values lie after the programme.
        channels[0]![lengthSamples - 1] = 0.9;
        if (lengthSamples > 1) channels[0]![lengthSamples - 2] = -0.9;
        const peaks = meter(channels, sampleRateHz, lengthSamples).truePeaksLinear();
        channels.forEach((x, c) => {
          expectWithin(
            peaks[c]!,
            definitionTruePeak(x, sampleRateHz),
            FLOAT64_REORDERING,
            `${lengthSamples}, ch ${c}`,
          );
        });
      }
    },
  );

  it('property: any block size gives the same peaks as one block', () => {
    const sampleRateHz = 48000;
    const { channels } = whiteNoise({ sampleRateHz, durationSeconds: 0.05, rmsDbfs: -12, seed: 11 });
    const whole = meter(channels, sampleRateHz, channels[0]!.length);
    // Around the interpolator's reach (12 samples) and the skip chunk (32).
    for (const blockLength of [1, 5, 11, 12, 13, 31, 33, 1000]) {
      const streamed = meter(channels, sampleRateHz, blockLength);
      channels.forEach((_, c) => {
        expectWithin(
          streamed.truePeaksLinear()[c]!,
          whole.truePeaksLinear()[c]!,
          IDENTICAL,
          `TP, block ${blockLength}`,
        );
        expectWithin(
          streamed.samplePeaksLinear()[c]!,
          whole.samplePeaksLinear()[c]!,
          IDENTICAL,
          `SP, block ${blockLength}`,
        );
      });
    }
  });

  it.each([44100, 96000, 192000])(
    'differential: continuous, at %i Hz the true peak is the definition, including the values after the last sample',
    (sampleRateHz) => {
      for (const lengthSamples of [1, 2, 7, 40, 3000]) {
        const { channels } = whiteNoise({
          sampleRateHz,
          durationSeconds: lengthSamples / sampleRateHz,
          rmsDbfs: -10,
          seed: lengthSamples,
        });
        channels[0]![lengthSamples - 1] = 0.9;
        if (lengthSamples > 1) channels[0]![lengthSamples - 2] = -0.9;
        const continuous = meter(channels, sampleRateHz, lengthSamples, true).truePeaksLinear();
        const grid = meter(channels, sampleRateHz, lengthSamples).truePeaksLinear();
        channels.forEach((x, c) => {
          const what = `${lengthSamples}, ch ${c}`;
          expectWithin(
            continuous[c]!,
            definitionContinuousTruePeak(x, sampleRateHz),
            FLOAT64_REORDERING,
            what,
          );
          expect(continuous[c]!, what).toBeGreaterThanOrEqual(grid[c]!);
        });
      }
    },
  );

  it.each([44100, 96000, 192000])(
    'property: continuous, at %i Hz any block size gives the same peaks as one block',
    (sampleRateHz) => {
      const { channels } = whiteNoise({ sampleRateHz, durationSeconds: 0.05, rmsDbfs: -12, seed: 11 });
      const whole = meter(channels, sampleRateHz, channels[0]!.length, true).truePeaksLinear();
      for (const blockLength of [1, 2, 5, 11, 12, 13, 31, 33, 1000]) {
        const streamed = meter(channels, sampleRateHz, blockLength, true).truePeaksLinear();
        channels.forEach((_, c) => {
          expectWithin(streamed[c]!, whole[c]!, IDENTICAL, `TP, block ${blockLength}`);
        });
      }
    },
  );
});
