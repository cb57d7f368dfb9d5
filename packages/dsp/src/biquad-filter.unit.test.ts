import { isLacquerError } from '@lacquer/errors';
import { expectWithin, sine, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { applyProcessor } from './apply-processor.ts';
import type { BiquadCoefficients } from './biquad-coefficients.ts';
import {
  designButterworthHighPass,
  designHighShelf,
  designLowShelf,
  designPeaking,
} from './biquad-design.ts';
import { biquadMagnitudeDb, createBiquadCascade } from './biquad-filter.ts';
import type { PlanarAudio } from './planar-audio.ts';

/**
 * Sine amplitude measured on the settled output (a whole number of cycles, so the DFT bin is
 * exact) against the analytic response. What is left is float32 rounding of each output
 * sample (2⁻²⁴ relative) and the decayed start-up transient (the slowest pole here, the
 * 25 Hz Butterworth's, has decayed by more than 10⁻¹⁰ after the 1 s skipped); measured
 * ≈ 10⁻⁷ dB, so 10⁻⁵ dB keeps a wide margin and still catches a wrong coefficient.
 */
const MEASURED_RESPONSE_DB = 1e-5;
/** Summing dB values of the same float64 terms: rounding only. */
const DB_SUM_ROUNDING = 1e-12;
/** Block size and in-place processing do not change the arithmetic: outputs are bit-identical. */
const IDENTICAL = 0;

const SAMPLE_RATE_HZ = 48000;

/** Amplitude of the `frequencyHz` component of `x[from…]` (whole cycles), by a single DFT bin. */
function measuredAmplitude(
  x: Float32Array,
  frequencyHz: number,
  from: number,
  lengthSamples: number,
): number {
  let re = 0;
  let im = 0;
  for (let n = from; n < from + lengthSamples; n++) {
    const phase = (2 * Math.PI * frequencyHz * n) / SAMPLE_RATE_HZ;
    re += x[n]! * Math.cos(phase);
    im += x[n]! * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / lengthSamples;
}

function maxDifference(a: PlanarAudio, b: PlanarAudio): number {
  let worst = 0;
  a.channels.forEach((channel, c) => {
    const other = b.channels[c]!;
    for (let i = 0; i < channel.length; i++) worst = Math.max(worst, Math.abs(channel[i]! - other[i]!));
  });
  return worst;
}

const masteringChain: readonly BiquadCoefficients[] = [
  ...designButterworthHighPass({ sampleRateHz: SAMPLE_RATE_HZ, frequencyHz: 25, order: 4 }),
  designLowShelf({ sampleRateHz: SAMPLE_RATE_HZ, frequencyHz: 100, gainDb: 2 }),
  designPeaking({ sampleRateHz: SAMPLE_RATE_HZ, frequencyHz: 3000, gainDb: -1.5, q: 1.4 }),
  designHighShelf({ sampleRateHz: SAMPLE_RATE_HZ, frequencyHz: 10000, gainDb: 1 }),
];

describe('createBiquadCascade', () => {
  it('differential: a sine through the filter has the gain biquadMagnitudeDb predicts', () => {
    for (const frequencyHz of [20, 40, 100, 1000, 3000, 9000, 16000]) {
      const input = sine({
        sampleRateHz: SAMPLE_RATE_HZ,
        durationSeconds: 2,
        frequencyHz,
        peakDbfs: -6,
        channelCount: 1,
      });
      const output = applyProcessor(
        createBiquadCascade({ sections: masteringChain, channelCount: 1, sampleRateHz: SAMPLE_RATE_HZ }),
        input,
      );
      const gainDb =
        20 *
        Math.log10(
          measuredAmplitude(output.channels[0]!, frequencyHz, SAMPLE_RATE_HZ, SAMPLE_RATE_HZ) /
            measuredAmplitude(input.channels[0]!, frequencyHz, SAMPLE_RATE_HZ, SAMPLE_RATE_HZ),
        );
      expectWithin(
        gainDb,
        biquadMagnitudeDb(masteringChain, frequencyHz, SAMPLE_RATE_HZ),
        MEASURED_RESPONSE_DB,
        `${frequencyHz} Hz`,
      );
    }
  });

  it('spec: a peaking +6 dB section measures +6 dB at its centre', () => {
    const section = designPeaking({ sampleRateHz: SAMPLE_RATE_HZ, frequencyHz: 1000, gainDb: 6, q: 1 });
    const input = sine({
      sampleRateHz: SAMPLE_RATE_HZ,
      durationSeconds: 2,
      frequencyHz: 1000,
      peakDbfs: -12,
      channelCount: 1,
    });
    const output = applyProcessor(
      createBiquadCascade({ sections: [section], channelCount: 1, sampleRateHz: SAMPLE_RATE_HZ }),
      input,
    );
    const gainDb =
      20 *
      Math.log10(
        measuredAmplitude(output.channels[0]!, 1000, SAMPLE_RATE_HZ, SAMPLE_RATE_HZ) /
          measuredAmplitude(input.channels[0]!, 1000, SAMPLE_RATE_HZ, SAMPLE_RATE_HZ),
      );
    expectWithin(gainDb, 6, MEASURED_RESPONSE_DB, 'gain at 1 kHz');
  });

  it('property: any block size gives the same output as one block', () => {
    const input = whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 1, rmsDbfs: -12, seed: 7 });
    const make = () =>
      createBiquadCascade({ sections: masteringChain, channelCount: 2, sampleRateHz: SAMPLE_RATE_HZ });
    const whole = applyProcessor(make(), input, { blockLengthsSamples: [input.channels[0]!.length] });
    for (const blockLengthsSamples of [[1], [7, 1, 300], [4096], [511, 513]]) {
      const blocked = applyProcessor(make(), input, { blockLengthsSamples });
      expectWithin(maxDifference(whole, blocked), 0, IDENTICAL, `blocks ${blockLengthsSamples}`);
    }
  });

  it('property: in-place processing and reset() give the same output as a fresh filter', () => {
    const input = whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.5, rmsDbfs: -12, seed: 3 });
    const filter = createBiquadCascade({
      sections: masteringChain,
      channelCount: 2,
      sampleRateHz: SAMPLE_RATE_HZ,
    });
    const separate = {
      sampleRateHz: SAMPLE_RATE_HZ,
      channels: input.channels.map((c) => new Float32Array(c.length)),
    };
    filter.process(input.channels, separate.channels);
    filter.reset();
    const inPlace = { sampleRateHz: SAMPLE_RATE_HZ, channels: input.channels.map((c) => c.slice()) };
    filter.process(inPlace.channels, inPlace.channels);
    expectWithin(maxDifference(separate, inPlace), 0, IDENTICAL, 'in place after reset');
  });

  it('property: the channels are filtered independently with the same filter', () => {
    const input = whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.2, rmsDbfs: -12, seed: 11 });
    const stereo = applyProcessor(
      createBiquadCascade({ sections: masteringChain, channelCount: 2, sampleRateHz: SAMPLE_RATE_HZ }),
      input,
    );
    const right = applyProcessor(
      createBiquadCascade({ sections: masteringChain, channelCount: 1, sampleRateHz: SAMPLE_RATE_HZ }),
      { sampleRateHz: SAMPLE_RATE_HZ, channels: [input.channels[1]!] },
    );
    expectWithin(
      maxDifference({ sampleRateHz: SAMPLE_RATE_HZ, channels: [stereo.channels[1]!] }, right),
      0,
      IDENTICAL,
    );
  });

  it('spec: no sections copies the input; latency is 0 samples', () => {
    const input = whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.1, rmsDbfs: -6, seed: 5 });
    const filter = createBiquadCascade({ sections: [], channelCount: 2, sampleRateHz: SAMPLE_RATE_HZ });
    expect(filter.latencySamples).toBe(0);
    expectWithin(maxDifference(applyProcessor(filter, input), input), 0, IDENTICAL);
  });

  it('spec: unstable or non-finite sections and bad channel counts throw DSP_INVALID_PARAMETER', () => {
    const ok = designPeaking({ sampleRateHz: SAMPLE_RATE_HZ, frequencyHz: 1000, gainDb: 3, q: 1 });
    const cases: BiquadCascadeCase[] = [
      { sections: [{ ...ok, a2: 1 }], channelCount: 1 },
      { sections: [{ ...ok, a1: -2.5, a2: 0.9 }], channelCount: 1 },
      { sections: [{ ...ok, b1: Number.NaN }], channelCount: 1 },
      { sections: [ok], channelCount: 0 },
      { sections: [ok], channelCount: 9 },
      { sections: [ok], channelCount: 1.5 },
    ];
    for (const options of cases) {
      let caught: unknown;
      try {
        createBiquadCascade({ ...options, sampleRateHz: SAMPLE_RATE_HZ });
      } catch (error) {
        caught = error;
      }
      expect(isLacquerError(caught, 'DSP_INVALID_PARAMETER')).toBe(true);
    }
  });
});

interface BiquadCascadeCase {
  readonly sections: readonly BiquadCoefficients[];
  readonly channelCount: number;
}

describe('biquadMagnitudeDb', () => {
  it('spec: a cascade is the sum of its sections in dB', () => {
    for (const frequencyHz of [10, 100, 1000, 10000]) {
      const sum = masteringChain.reduce((db, s) => db + biquadMagnitudeDb(s, frequencyHz, SAMPLE_RATE_HZ), 0);
      expectWithin(
        biquadMagnitudeDb(masteringChain, frequencyHz, SAMPLE_RATE_HZ),
        sum,
        DB_SUM_ROUNDING,
        `${frequencyHz} Hz`,
      );
    }
  });
});
