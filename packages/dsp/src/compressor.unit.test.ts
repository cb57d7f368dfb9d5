import { isLacquerError } from '@lacquer/errors';
import { concat, expectWithin, silence, sine, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { applyProcessor } from './apply-processor.ts';
import { type CompressorOptions, compressorStaticCurveDb, createCompressor } from './compressor.ts';
import type { PlanarAudio } from './planar-audio.ts';

/**
 * Static curve on a steady 1 kHz sine (the brief's 0.1 dB). The RMS detector (10 ms) leaves
 * a ±0.02 dB ripple at 2 kHz that the branching smoother partly rectifies (attack faster
 * than release), so the measured output sits about 0.016 dB under the curve.
 */
const STATIC_CURVE_SINE_DB = 0.1;
/**
 * Static curve on DC: the detector's mean square converges to x² exactly (no ripple), so the
 * only error is float32 rounding of the output (2⁻²⁴ relative ≈ 5·10⁻⁷ dB).
 */
const STATIC_CURVE_DC_DB = 1e-5;
/** The static curve evaluated in float64: rounding only. */
const CURVE_ROUNDING_DB = 1e-12;
/** One float64 gain times two float32 samples, each product rounded to float32: 2·2⁻²⁴ relative. */
const FLOAT32_ROUNDING = 2 ** -23;
/** Block size, in-place processing and reset do not change the arithmetic: bit-identical. */
const IDENTICAL = 0;
/**
 * Slope continuity of the curve at the knee edges, estimated by one-sided differences over
 * 10⁻⁴ dB: the quadratic's second derivative is at most 1/knee (per dB), so each one-sided
 * slope is off by at most 10⁻⁴/(2·knee) ≈ 10⁻⁵.
 */
const KNEE_SLOPE = 1e-4;

const SAMPLE_RATE_HZ = 48000;

const glue: CompressorOptions = {
  sampleRateHz: SAMPLE_RATE_HZ,
  channelCount: 2,
  thresholdDb: -20,
  ratio: 4,
  kneeDb: 0,
  attackMs: 10,
  releaseMs: 100,
  makeupGainDb: 0,
};

function rmsDb(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return 10 * Math.log10(sum / (to - from));
}

function constant(levelDb: number, durationSeconds: number): PlanarAudio {
  const value = 10 ** (levelDb / 20);
  const lengthSamples = Math.round(durationSeconds * SAMPLE_RATE_HZ);
  return { sampleRateHz: SAMPLE_RATE_HZ, channels: [new Float32Array(lengthSamples).fill(value)] };
}

function maxDifference(a: PlanarAudio, b: PlanarAudio): number {
  let worst = 0;
  a.channels.forEach((channel, c) => {
    const other = b.channels[c]!;
    for (let i = 0; i < channel.length; i++) worst = Math.max(worst, Math.abs(channel[i]! - other[i]!));
  });
  return worst;
}

/** Gain reduction in dB at every sample of a mono run, from output over input. */
function reductionDb(input: PlanarAudio, output: PlanarAudio, i: number): number {
  return -20 * Math.log10(output.channels[0]![i]! / input.channels[0]![i]!);
}

describe('compressorStaticCurveDb', () => {
  it('spec: identity below, threshold + over/ratio above (Giannoulis et al. 2012, eq. 4)', () => {
    const curve = { thresholdDb: -20, ratio: 4, kneeDb: 6 };
    expect(compressorStaticCurveDb(-30, curve)).toBe(-30);
    expectWithin(compressorStaticCurveDb(-4, curve), -16, CURVE_ROUNDING_DB, 'at −4 dB');
    const limiting = { ...curve, ratio: Number.POSITIVE_INFINITY, kneeDb: 0 };
    expectWithin(compressorStaticCurveDb(-5, limiting), -20, CURVE_ROUNDING_DB, 'ratio ∞ at −5 dB');
    expect(compressorStaticCurveDb(Number.NEGATIVE_INFINITY, curve)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('spec: the soft knee joins both lines with matching value and slope', () => {
    for (const kneeDb of [1, 6, 24]) {
      const curve = { thresholdDb: -18, ratio: 3, kneeDb };
      const step = 1e-4;
      for (const edgeDb of [-18 - kneeDb / 2, -18 + kneeDb / 2]) {
        const below = compressorStaticCurveDb(edgeDb - step, curve);
        const at = compressorStaticCurveDb(edgeDb, curve);
        const above = compressorStaticCurveDb(edgeDb + step, curve);
        expectWithin(above - at, at - below, KNEE_SLOPE * step, `value and slope at ${edgeDb} dB`);
      }
      // Monotonic and never above the input.
      let previous = Number.NEGATIVE_INFINITY;
      for (let levelDb = -60; levelDb <= 0; levelDb += 0.25) {
        const out = compressorStaticCurveDb(levelDb, curve);
        expect(out).toBeGreaterThan(previous);
        expect(out).toBeLessThanOrEqual(levelDb);
        previous = out;
      }
    }
  });
});

describe('createCompressor', () => {
  it('spec: a steady sine above threshold comes out at threshold + (in − threshold)/ratio', () => {
    for (const peakDbfs of [-12, -6, 0]) {
      for (const [ratio, kneeDb] of [
        [4, 0],
        [2, 6],
        [10, 12],
      ] as const) {
        const input = sine({
          sampleRateHz: SAMPLE_RATE_HZ,
          durationSeconds: 2,
          frequencyHz: 1000,
          peakDbfs,
          channelCount: 1,
        });
        const output = applyProcessor(createCompressor({ ...glue, channelCount: 1, ratio, kneeDb }), input);
        // The last second, long after the 10 ms attack has settled; RMS as the detector measures.
        const inDb = rmsDb(input.channels[0]!, SAMPLE_RATE_HZ, 2 * SAMPLE_RATE_HZ);
        const outDb = rmsDb(output.channels[0]!, SAMPLE_RATE_HZ, 2 * SAMPLE_RATE_HZ);
        const expectedDb = compressorStaticCurveDb(inDb, { thresholdDb: -20, ratio, kneeDb });
        expectWithin(
          outDb,
          expectedDb,
          STATIC_CURVE_SINE_DB,
          `${peakDbfs} dBFS sine, ratio ${ratio}, knee ${kneeDb}`,
        );
      }
    }
  });

  it('spec: steady levels through the knee follow the static curve (DC, no detector ripple)', () => {
    const curve = { thresholdDb: -20, ratio: 4, kneeDb: 12 };
    for (let levelDb = -30; levelDb <= -5; levelDb += 2.5) {
      const input = constant(levelDb, 1);
      const output = applyProcessor(createCompressor({ ...glue, ...curve, channelCount: 1 }), input);
      const outDb = 20 * Math.log10(output.channels[0]![SAMPLE_RATE_HZ - 1]!);
      expectWithin(outDb, compressorStaticCurveDb(levelDb, curve), STATIC_CURVE_DC_DB, `${levelDb} dB`);
    }
  });

  it('spec: below threshold − knee/2 the output is the input, bit for bit', () => {
    // −26 dBFS peak sine: −29 dB RMS, under the knee start of −23 dB.
    const input = concat(
      sine({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 1, frequencyHz: 440, peakDbfs: -26 }),
      whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 1, rmsDbfs: -30, seed: 2 }),
      silence({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.5 }),
    );
    const compressor = createCompressor({ ...glue, kneeDb: 6 });
    const output = applyProcessor(compressor, input);
    expectWithin(maxDifference(output, input), 0, IDENTICAL, 'below threshold');
    expect(compressor.maxGainReductionDb).toBe(0);
  });

  it('spec: makeup gain is applied below threshold too, and is not metered as reduction', () => {
    const input = sine({
      sampleRateHz: SAMPLE_RATE_HZ,
      durationSeconds: 0.5,
      frequencyHz: 440,
      peakDbfs: -30,
      channelCount: 1,
    });
    const compressor = createCompressor({ ...glue, channelCount: 1, makeupGainDb: 3 });
    const output = applyProcessor(compressor, input);
    const gainDb = rmsDb(output.channels[0]!, 0, 24000) - rmsDb(input.channels[0]!, 0, 24000);
    expectWithin(gainDb, 3, STATIC_CURVE_DC_DB, 'makeup');
    expect(compressor.maxGainReductionDb).toBe(0);
  });

  it('spec: attack and release are 63 % time constants (plus the RMS detector delay)', () => {
    // Threshold −20, ratio 4: a step to −10 dB asks for 7.5 dB of reduction.
    for (const [attackMs, releaseMs] of [
      [5, 50],
      [20, 200],
    ] as const) {
      const rmsWindowMs = 1;
      const input = concat(constant(-40, 0.5), constant(-10, 1), constant(-40, 1.5));
      const output = applyProcessor(
        createCompressor({ ...glue, channelCount: 1, attackMs, releaseMs, rmsWindowMs }),
        input,
      );
      const stepUp = 0.5 * SAMPLE_RATE_HZ;
      const stepDown = 1.5 * SAMPLE_RATE_HZ;
      const finalDb = reductionDb(input, output, stepDown - 1);
      expectWithin(finalDb, 7.5, STATIC_CURVE_DC_DB, 'settled reduction');
      let attackSamples = 0;
      while (reductionDb(input, output, stepUp + attackSamples) < finalDb * (1 - Math.exp(-1)))
        attackSamples++;
      let releaseSamples = 0;
      while (reductionDb(input, output, stepDown + releaseSamples) > finalDb * Math.exp(-1)) releaseSamples++;
      // The 1 ms mean-square detector needs up to ~2.3 of its time constants to cross 10 dB
      // (it moves 4.34 dB per time constant in the log domain): allow 3 ms on top of τ.
      const detectorDelayMs = 3 * rmsWindowMs;
      const attackMeasuredMs = (1000 * attackSamples) / SAMPLE_RATE_HZ;
      const releaseMeasuredMs = (1000 * releaseSamples) / SAMPLE_RATE_HZ;
      expectWithin(attackMeasuredMs, attackMs + detectorDelayMs / 2, detectorDelayMs / 2, 'attack time');
      expectWithin(releaseMeasuredMs, releaseMs + detectorDelayMs / 2, detectorDelayMs / 2, 'release time');
    }
  });

  it('property: linked detection applies one gain to both channels; unlinked leaves a quiet channel alone', () => {
    const loud = sine({
      sampleRateHz: SAMPLE_RATE_HZ,
      durationSeconds: 1,
      frequencyHz: 200,
      peakDbfs: -3,
      channelCount: 1,
    });
    const quiet = sine({
      sampleRateHz: SAMPLE_RATE_HZ,
      durationSeconds: 1,
      frequencyHz: 300,
      peakDbfs: -30,
      channelCount: 1,
    });
    const input = { sampleRateHz: SAMPLE_RATE_HZ, channels: [loud.channels[0]!, quiet.channels[0]!] };
    const linked = applyProcessor(createCompressor(glue), input);
    let worst = 0;
    let reductionSeen = false;
    for (let i = 0; i < loud.channels[0]!.length; i++) {
      const [inLeft, inRight] = [input.channels[0]![i]!, input.channels[1]![i]!];
      if (Math.abs(inLeft) < 1e-3 || Math.abs(inRight) < 1e-3) continue;
      const leftGain = linked.channels[0]![i]! / inLeft;
      const rightGain = linked.channels[1]![i]! / inRight;
      if (leftGain < 0.5) reductionSeen = true;
      worst = Math.max(worst, Math.abs(rightGain - leftGain) / leftGain);
    }
    expect(reductionSeen).toBe(true);
    expectWithin(worst, 0, FLOAT32_ROUNDING, 'same gain on both channels');
    const unlinked = applyProcessor(createCompressor({ ...glue, stereoLink: false }), input);
    expectWithin(
      maxDifference({ sampleRateHz: SAMPLE_RATE_HZ, channels: [unlinked.channels[1]!] }, quiet),
      0,
      IDENTICAL,
    );
  });

  it('property: any block size gives the same output as one block, linked or not', () => {
    const input = concat(
      whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.5, rmsDbfs: -30, seed: 4 }),
      whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.5, rmsDbfs: -6, seed: 5 }),
      silence({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.3 }),
      whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.5, rmsDbfs: -12, seed: 6 }),
    );
    for (const stereoLink of [true, false]) {
      const options = { ...glue, kneeDb: 6, makeupGainDb: 2, stereoLink };
      const whole = applyProcessor(createCompressor(options), input, {
        blockLengthsSamples: [input.channels[0]!.length],
      });
      for (const blockLengthsSamples of [[1], [3, 255, 256, 257], [4096]]) {
        const blocked = applyProcessor(createCompressor(options), input, { blockLengthsSamples });
        expectWithin(maxDifference(whole, blocked), 0, IDENTICAL, `blocks ${blockLengthsSamples}`);
      }
    }
  });

  it('property: in-place processing and reset() give the same output as a fresh compressor', () => {
    const input = whiteNoise({ sampleRateHz: SAMPLE_RATE_HZ, durationSeconds: 0.5, rmsDbfs: -8, seed: 9 });
    const compressor = createCompressor(glue);
    const separate = input.channels.map((c) => new Float32Array(c.length));
    compressor.process(input.channels, separate);
    expect(compressor.maxGainReductionDb).toBeGreaterThan(0);
    compressor.reset();
    expect(compressor.maxGainReductionDb).toBe(0);
    expect(compressor.gainReductionDb).toBe(0);
    const inPlace = input.channels.map((c) => c.slice());
    compressor.process(inPlace, inPlace);
    expectWithin(
      maxDifference(
        { sampleRateHz: SAMPLE_RATE_HZ, channels: separate },
        { sampleRateHz: SAMPLE_RATE_HZ, channels: inPlace },
      ),
      0,
      IDENTICAL,
    );
  });

  it('spec: gain reduction metering reports the static reduction and returns to 0 after release', () => {
    const compressor = createCompressor({ ...glue, channelCount: 1 });
    applyProcessor(compressor, constant(-8, 1));
    // −8 dB in, −17 dB out: 9 dB of reduction.
    expectWithin(compressor.gainReductionDb, 9, STATIC_CURVE_DC_DB, 'current reduction');
    expectWithin(compressor.maxGainReductionDb, 9, STATIC_CURVE_DC_DB, 'largest reduction');
    applyProcessor(compressor, constant(-40, 3));
    expect(compressor.gainReductionDb).toBe(0);
    expectWithin(compressor.maxGainReductionDb, 9, STATIC_CURVE_DC_DB, 'largest reduction is kept');
  });

  it('spec: latency is 0 samples', () => {
    expect(createCompressor(glue).latencySamples).toBe(0);
  });

  it('spec: out-of-range parameters throw DSP_INVALID_PARAMETER', () => {
    const invalid: Partial<CompressorOptions>[] = [
      { sampleRateHz: 1000 },
      { channelCount: 0 },
      { channelCount: 2.5 },
      { thresholdDb: 3 },
      { thresholdDb: -61 },
      { ratio: 0.5 },
      { kneeDb: 30 },
      { attackMs: -1 },
      { releaseMs: 0 },
      { makeupGainDb: 30 },
      { rmsWindowMs: 0 },
      { ratio: Number.NaN },
    ];
    for (const override of invalid) {
      let caught: unknown;
      try {
        createCompressor({ ...glue, ...override });
      } catch (error) {
        caught = error;
      }
      expect(isLacquerError(caught, 'DSP_INVALID_PARAMETER'), JSON.stringify(override)).toBe(true);
    }
  });
});
