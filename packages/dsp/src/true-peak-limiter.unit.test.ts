import { isLacquerError } from '@lacquer/errors';
import { concat, expectWithin, silence, sine, whiteNoise, xorshift32 } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { applyProcessor } from './apply-processor.ts';
import { analyzeLoudness } from './loudness-analyzer.ts';
import type { PlanarAudio } from './planar-audio.ts';
import {
  createTruePeakLimiter,
  TRUE_PEAK_LIMITER_MARGIN_DB,
  type TruePeakLimiterOptions,
} from './true-peak-limiter.ts';
import { createPeakMeter } from './true-peak-meter.ts';

/** Block size, in-place processing and flush-vs-zeros do not change the arithmetic: bit-identical. */
const IDENTICAL = 0;
/**
 * How far under the ceiling a hard-limited signal's true peak may land: the detector holds
 * peaks at ceiling − margin, and the gain interpolation error the margin exists for is
 * below 0.01 dB (see TRUE_PEAK_LIMITER_MIN_RAMP_SAMPLES). More would mean over-limiting.
 */
const LIMITED_PEAK_BAND_DB = TRUE_PEAK_LIMITER_MARGIN_DB + 0.01;
/**
 * Steady-state gain reduction against the input's metered continuous true peak: the detector
 * and the continuous meter run the same kernel (`createInterSamplePeakKernel`, continuous), so
 * they agree to float64 rounding (in the gain division); float32 output rounding does not enter.
 */
const STEADY_REDUCTION_DB = 1e-9;

/** One float64 gain times two float32 samples, each product rounded to float32: 2·2⁻²⁴ relative. */
const FLOAT32_ROUNDING = 2 ** -23;

const RATES_HZ = [44100, 48000, 96000];

/** True peak, dBTP: the BS.1770-4 grid maximum, or with `continuous` the continuous estimate. */
function truePeakDbtp(audio: PlanarAudio, continuous = false): number {
  const meter = createPeakMeter({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
    continuous,
  });
  meter.push(audio.channels);
  return 20 * Math.log10(Math.max(...meter.truePeaksLinear()));
}

function scaled(audio: PlanarAudio, gainDb: number): PlanarAudio {
  const g = 10 ** (gainDb / 20);
  return { sampleRateHz: audio.sampleRateHz, channels: audio.channels.map((c) => c.map((v) => v * g)) };
}

function maxDifference(a: PlanarAudio, b: PlanarAudio, from = 0): number {
  let worst = 0;
  a.channels.forEach((channel, c) => {
    const other = b.channels[c]!;
    for (let i = from; i < channel.length; i++) worst = Math.max(worst, Math.abs(channel[i]! - other[i]!));
  });
  return worst;
}

/** Uniform in [0, 1), for the generated test material. */
const random = xorshift32;

function generate(
  sampleRateHz: number,
  durationSeconds: number,
  channelCount: number,
  at: (c: number, i: number) => number,
) {
  const lengthSamples = Math.round(sampleRateHz * durationSeconds);
  return {
    sampleRateHz,
    channels: Array.from({ length: channelCount }, (_, c) =>
      Float32Array.from({ length: lengthSamples }, (_, i) => at(c, i)),
    ),
  };
}

/** The hard material of the brief, each at `sampleRateHz`, 1 s, stereo. */
function hardSignals(sampleRateHz: number): Record<string, PlanarAudio> {
  const options = { sampleRateHz, durationSeconds: 1 };
  const drums = random(17);
  let hit = 0;
  let hitFrequencyHz = 60;
  let hitAmplitude = 1;
  return {
    // Full-scale square waves: Gibbs overshoot puts the true peak ~2–3 dB over the samples.
    'full-scale square 997 Hz': generate(sampleRateHz, 1, 2, (_, i) =>
      Math.sin((2 * Math.PI * 997 * i) / sampleRateHz) >= 0 ? 1 : -1,
    ),
    'full-scale square 5 kHz': generate(sampleRateHz, 1, 2, (_, i) =>
      Math.sin((2 * Math.PI * 5003 * i) / sampleRateHz) >= 0 ? 1 : -1,
    ),
    // +12 dB over-driven noise: −6 dBFS RMS noise pushed 12 dB up.
    '+12 dB noise': whiteNoise({ ...options, rmsDbfs: 6, seed: 21 }),
    // EBU Tech 3341 cases 19–23 style: fs/4 at 45°, samples 3 dB under the true peak.
    'fs/4 sine at 45°, +6 dBTP': sine({
      ...options,
      frequencyHz: sampleRateHz / 4,
      peakDbfs: 6,
      phaseRadians: Math.PI / 4,
    }),
    'sine at 0.45 fs, +3 dBTP': sine({
      ...options,
      frequencyHz: 0.45 * sampleRateHz,
      peakDbfs: 3,
      phaseRadians: 0.3,
    }),
    // Decaying drum hits hard-clipped at ±1 and then raised 4 dB: flat tops, sharp corners.
    'clipped drums +4 dB': generate(sampleRateHz, 1, 2, (c) => {
      if (c === 0 && drums() < 8 / sampleRateHz) {
        hit = 0;
        hitFrequencyHz = 50 + 150 * drums();
        hitAmplitude = 1 + 3 * drums();
      }
      const t = (c === 0 ? hit++ : hit) / sampleRateHz;
      const body = hitAmplitude * Math.exp(-t / 0.08) * Math.sin(2 * Math.PI * hitFrequencyHz * t);
      const click = Math.exp(-t / 0.002) * (drums() * 2 - 1);
      return 1.585 * Math.max(-1, Math.min(1, body + click));
    }),
    // Music-like: bass, noise with bursts, a loud transient every so often.
    'noise, bursts and bass': (() => {
      const r = random(5);
      let envelope = 0.3;
      return generate(sampleRateHz, 1, 2, (c, i) => {
        if (c === 0 && r() < 20 / sampleRateHz) envelope = 0.2 + 2.5 * r();
        if (c === 0) envelope *= 1 - 20 / sampleRateHz;
        return envelope * (r() * 2 - 1) + 0.6 * Math.sin((2 * Math.PI * 55 * i) / sampleRateHz);
      });
    })(),
  };
}

function limit(audio: PlanarAudio, options: Partial<TruePeakLimiterOptions>, blockLengthsSamples?: number[]) {
  const limiter = createTruePeakLimiter({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
    ceilingDbtp: -1,
    ...options,
  });
  const output = applyProcessor(limiter, audio, blockLengthsSamples ? { blockLengthsSamples } : {});
  return { output, limiter };
}

describe('createTruePeakLimiter', () => {
  describe.each(RATES_HZ)('at %i Hz', (sampleRateHz) => {
    const signals = hardSignals(sampleRateHz);
    it.each(Object.keys(signals))('property: the output true peak never exceeds the ceiling: %s', (name) => {
      const input = signals[name]!;
      expect(truePeakDbtp(input)).toBeGreaterThan(0);
      for (const ceilingDbtp of [-1, -0.1]) {
        for (const [lookaheadMs, releaseMs, blocks] of [
          [3, 100, undefined],
          [0.5, 5, [1, 13, 700]],
          [10, 1000, [4096]],
        ] as const) {
          const { output } = limit(
            input,
            { ceilingDbtp, lookaheadMs, releaseMs },
            blocks ? [...blocks] : undefined,
          );
          const what = `${name}, ceiling ${ceilingDbtp}, look-ahead ${lookaheadMs} ms`;
          // Held on the BS.1770-4 grid and between its points (the detector is continuous;
          // the grid can read lower, by up to 0.44 dB at 0.4 fs, so the band is on the latter).
          expect(truePeakDbtp(output), what).toBeLessThanOrEqual(ceilingDbtp);
          const continuousPeakDbtp = truePeakDbtp(output, true);
          expect(continuousPeakDbtp, what).toBeLessThanOrEqual(ceilingDbtp);
          expect(continuousPeakDbtp, what).toBeGreaterThan(ceilingDbtp - LIMITED_PEAK_BAND_DB);
        }
      }
    });
  });

  it('property: analyzeLoudness agrees: the limited programme stays under the ceiling', () => {
    const signals = hardSignals(48000);
    for (const name of ['+12 dB noise', 'clipped drums +4 dB', 'noise, bursts and bass']) {
      const { output } = limit(signals[name]!, { ceilingDbtp: -1 });
      expect(analyzeLoudness(output).truePeakDbtp, name).toBeLessThanOrEqual(-1);
    }
  });

  it('property: 8× detection also holds the ceiling as the 4× meter measures it', () => {
    const input = hardSignals(44100)['+12 dB noise']!;
    const { output } = limit(input, { ceilingDbtp: -1, oversamplingFactor: 8 });
    expect(truePeakDbtp(output)).toBeLessThanOrEqual(-1);
  });

  it('property: at 192 kHz (no oversampling, as the meter) the sample peak and the continuous peak are held', () => {
    const input = whiteNoise({ sampleRateHz: 192000, durationSeconds: 0.5, rmsDbfs: 3, seed: 8 });
    const { output, limiter } = limit(input, { ceilingDbtp: -0.5 });
    // The continuous estimate at 1× reads a sample either side: reach 2, latency ramp + 1.
    expect(limiter.latencySamples).toBe(Math.round(0.003 * 192000) + 1);
    expect(truePeakDbtp(output)).toBeLessThanOrEqual(-0.5);
    expect(truePeakDbtp(output, true)).toBeLessThanOrEqual(-0.5);
  });

  it('property: any block size gives the same output as one block', () => {
    const input = hardSignals(44100)['noise, bursts and bass']!;
    const whole = limit(input, {}, [input.channels[0]!.length]).output;
    for (const blocks of [[1], [31, 33, 511, 512, 513], [4096], [1000, 7]]) {
      expectWithin(maxDifference(whole, limit(input, {}, blocks).output), 0, IDENTICAL, `blocks ${blocks}`);
    }
  });

  it('spec: a programme whose true peak stays under ceiling − margin passes bit-exactly', () => {
    const noise = whiteNoise({ sampleRateHz: 44100, durationSeconds: 2, rmsDbfs: -12, seed: 12 });
    // Put the (continuous) true peak 0.1 dB under a −1 dBTP ceiling, under the detector's −1.05.
    const input = scaled(noise, -1.1 - truePeakDbtp(noise, true));
    const { output, limiter } = limit(input, { ceilingDbtp: -1 });
    expectWithin(maxDifference(output, input), 0, IDENTICAL, 'transparent');
    expect(limiter.maxGainReductionDb).toBe(0);
  });

  it('spec: after a limited passage the gain returns to exactly unity', () => {
    const sampleRateHz = 48000;
    const input = concat(
      whiteNoise({ sampleRateHz, durationSeconds: 0.3, rmsDbfs: 0, seed: 1 }),
      whiteNoise({ sampleRateHz, durationSeconds: 3, rmsDbfs: -20, seed: 2 }),
    );
    const { output, limiter } = limit(input, { ceilingDbtp: -1, releaseMs: 50 });
    expect(limiter.maxGainReductionDb).toBeGreaterThan(3);
    // 50 ms release: from 10 dB of reduction to within 10⁻⁹ of unity takes ~1.1 s.
    expectWithin(maxDifference(output, input, 2 * sampleRateHz), 0, IDENTICAL, 'unity after release');
  });

  it('spec: a steady over-level sine is reduced by its true peak − (ceiling − margin)', () => {
    const input = sine({
      sampleRateHz: 44100,
      durationSeconds: 1,
      frequencyHz: 11025,
      peakDbfs: 6,
      phaseRadians: Math.PI / 4,
    });
    const { limiter } = limit(input, { ceilingDbtp: -1 });
    const expectedDb = truePeakDbtp(input, true) - (-1 - TRUE_PEAK_LIMITER_MARGIN_DB);
    expectWithin(limiter.maxGainReductionDb, expectedDb, STEADY_REDUCTION_DB, 'gain reduction');
  });

  it('spec: latencySamples is the look-ahead plus the interpolator reach; an impulse comes out that late', () => {
    const limiter = createTruePeakLimiter({ sampleRateHz: 44100, channelCount: 1, ceilingDbtp: -1 });
    // Default 3 ms = 132 samples of ramp, + 23 for the 25-tap 4× branches.
    expect(limiter.latencySamples).toBe(155);
    expect(
      createTruePeakLimiter({ sampleRateHz: 48000, channelCount: 1, ceilingDbtp: -1, lookaheadMs: 5 })
        .latencySamples,
    ).toBe(263);
    // Shorter than 32 samples is lengthened to 32.
    expect(
      createTruePeakLimiter({ sampleRateHz: 8000, channelCount: 1, ceilingDbtp: -1, lookaheadMs: 0.5 })
        .latencySamples,
    ).toBe(55);
    const impulse = new Float32Array(1000);
    impulse[100] = 0.25;
    const output = new Float32Array(1000);
    limiter.process([impulse], [output]);
    expect(output.indexOf(0.25)).toBe(100 + limiter.latencySamples);
  });

  it('spec: flush(output) writes what processing latencySamples zeros would', () => {
    const input = hardSignals(48000)['+12 dB noise']!;
    const make = () => createTruePeakLimiter({ sampleRateHz: 48000, channelCount: 2, ceilingDbtp: -1 });
    const a = make();
    const b = make();
    const scratch = input.channels.map((c) => new Float32Array(c.length));
    a.process(input.channels, scratch);
    b.process(input.channels, scratch);
    const flushed = [new Float32Array(a.latencySamples), new Float32Array(a.latencySamples)];
    a.flush(flushed);
    const zeros = [new Float32Array(b.latencySamples), new Float32Array(b.latencySamples)];
    b.process(zeros, zeros);
    expectWithin(
      maxDifference({ sampleRateHz: 48000, channels: flushed }, { sampleRateHz: 48000, channels: zeros }),
      0,
      IDENTICAL,
    );
    expect(Math.max(...flushed[0]!.map(Math.abs))).toBeGreaterThan(0);
  });

  it('property: linked: a loud left channel lowers the right one by the same gain', () => {
    const sampleRateHz = 48000;
    const left = whiteNoise({ sampleRateHz, durationSeconds: 1, rmsDbfs: 0, seed: 3, channelCount: 1 });
    const right = sine({
      sampleRateHz,
      durationSeconds: 1,
      frequencyHz: 300,
      peakDbfs: -20,
      channelCount: 1,
    });
    const input = { sampleRateHz, channels: [left.channels[0]!, right.channels[0]!] };
    const { output } = limit(input, { ceilingDbtp: -1 });
    let worst = 0;
    for (let i = 0; i < sampleRateHz; i++) {
      const [l, r] = [input.channels[0]![i]!, input.channels[1]![i]!];
      if (Math.abs(l) < 1e-3 || Math.abs(r) < 1e-3) continue;
      worst = Math.max(worst, Math.abs(output.channels[0]![i]! / l - output.channels[1]![i]! / r));
    }
    expectWithin(worst, 0, FLOAT32_ROUNDING, 'same gain');
    expect(truePeakDbtp({ sampleRateHz, channels: [output.channels[1]!] })).toBeLessThan(-20);
  });

  it('property: in-place processing and reset() give the same output as a fresh limiter', () => {
    const input = hardSignals(44100)['clipped drums +4 dB']!;
    const limiter = createTruePeakLimiter({ sampleRateHz: 44100, channelCount: 2, ceilingDbtp: -1 });
    const separate = input.channels.map((c) => new Float32Array(c.length));
    limiter.process(input.channels, separate);
    limiter.reset();
    expect(limiter.maxGainReductionDb).toBe(0);
    const inPlace = input.channels.map((c) => c.slice());
    limiter.process(inPlace, inPlace);
    expectWithin(
      maxDifference({ sampleRateHz: 44100, channels: separate }, { sampleRateHz: 44100, channels: inPlace }),
      0,
      IDENTICAL,
    );
  });

  it('spec: silence stays silence', () => {
    const input = silence({ sampleRateHz: 44100, durationSeconds: 0.2 });
    const { output, limiter } = limit(input, {});
    expectWithin(maxDifference(output, input), 0, IDENTICAL);
    expect(limiter.maxGainReductionDb).toBe(0);
  });

  it('spec: out-of-range parameters throw DSP_INVALID_PARAMETER', () => {
    const base: TruePeakLimiterOptions = { sampleRateHz: 48000, channelCount: 2, ceilingDbtp: -1 };
    const invalid: Partial<TruePeakLimiterOptions>[] = [
      { sampleRateHz: 4000 },
      { channelCount: 0 },
      { channelCount: 9 },
      { ceilingDbtp: 0.5 },
      { ceilingDbtp: -21 },
      { ceilingDbtp: Number.NaN },
      { lookaheadMs: 0.1 },
      { lookaheadMs: 25 },
      { releaseMs: 0 },
      { oversamplingFactor: 3 },
    ];
    for (const override of invalid) {
      let caught: unknown;
      try {
        createTruePeakLimiter({ ...base, ...override });
      } catch (error) {
        caught = error;
      }
      expect(isLacquerError(caught, 'DSP_INVALID_PARAMETER'), JSON.stringify(override)).toBe(true);
    }
  });
});
