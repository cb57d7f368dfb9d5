import { expectWithin, silence, whiteNoise, xorshift32 } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { estimateTempo } from './estimate-tempo.ts';
import type { PlanarAudio } from './planar-audio.ts';

/** The feature's requirement on a steady click track. */
const CLICK_TEMPO_TOLERANCE_BPM = 1;
/**
 * The period is fitted over up to 6 s of beat multiples, so a steady pulse is resolved far
 * below one envelope frame (~2 BPM at 120 BPM); measured worst case 0.05 BPM over 60–160 BPM.
 */
const PULSE_PRECISION_BPM = 0.1;
/** A click track's envelope repeats exactly: pulse clarity near 1 (measured ≥ 0.9). */
const CLEAR_PULSE_MIN_CONFIDENCE = 0.8;
/** Noise has no periodicity: measured about 0.05. */
const NOISE_MAX_CONFIDENCE = 0.2;

/** Deterministic noise in −1 … 1. */
function noiseSource(seed: number): () => number {
  const random = xorshift32(seed);
  return () => random() * 2 - 1;
}

/** Clicks (30 ms noise bursts decaying with a 5 ms time constant) every beat from `offsetSeconds`. */
function clickTrack(
  tempoBpm: number,
  sampleRateHz: number,
  durationSeconds = 20,
  offsetSeconds = 0.1,
): PlanarAudio {
  const lengthSamples = Math.round(durationSeconds * sampleRateHz);
  const samples = new Float32Array(lengthSamples);
  const next = noiseSource(12_345);
  for (let t = offsetSeconds; t < durationSeconds; t += 60 / tempoBpm) {
    const start = Math.round(t * sampleRateHz);
    const end = Math.min(lengthSamples, start + Math.round(0.03 * sampleRateHz));
    for (let i = start; i < end; i++)
      samples[i] = 0.5 * next() * Math.exp(-(i - start) / (0.005 * sampleRateHz));
  }
  return { sampleRateHz, channels: [samples, samples.slice()] };
}

/** Kick on beats 1 and 3, snare on 2 and 4, hi-hat on every eighth note. */
function groove(tempoBpm: number, sampleRateHz: number, durationSeconds: number): PlanarAudio {
  const lengthSamples = Math.round(durationSeconds * sampleRateHz);
  const samples = new Float32Array(lengthSamples);
  const next = noiseSource(999);
  const beatSeconds = 60 / tempoBpm;
  const add = (startSeconds: number, lengthSeconds: number, at: (tSeconds: number) => number) => {
    const start = Math.round(startSeconds * sampleRateHz);
    const end = Math.min(lengthSamples, start + Math.round(lengthSeconds * sampleRateHz));
    for (let i = start; i < end; i++) samples[i] = samples[i]! + at((i - start) / sampleRateHz);
  };
  for (let beat = 0; (beat + 1) * beatSeconds < durationSeconds; beat++) {
    const t0 = 0.05 + beat * beatSeconds;
    if (beat % 2 === 0) {
      add(
        t0,
        0.2,
        (t) => 0.8 * Math.sin(2 * Math.PI * (50 + 100 * Math.exp(-t / 0.03)) * t) * Math.exp(-t / 0.15),
      );
    } else {
      add(t0, 0.2, (t) => 0.4 * next() * Math.exp(-t / 0.06));
    }
    for (const eighth of [0, 0.5])
      add(t0 + eighth * beatSeconds, 0.05, (t) => 0.2 * next() * Math.exp(-t / 0.01));
  }
  return { sampleRateHz, channels: [samples] };
}

describe('estimateTempo', () => {
  it.each([90, 120, 150])('spec: a %s BPM click track reads within ±1 BPM', (tempoBpm) => {
    const estimate = estimateTempo(clickTrack(tempoBpm, 44_100));
    expectWithin(estimate.tempoBpm!, tempoBpm, CLICK_TEMPO_TOLERANCE_BPM, 'tempo');
    expect(estimate.confidence).toBeGreaterThan(CLEAR_PULSE_MIN_CONFIDENCE);
  });

  it('property: sub-frame precision on steady pulses across rates, tempi and phases', () => {
    for (const sampleRateHz of [44_100, 48_000, 96_000]) {
      for (const tempoBpm of [61.3, 87.5, 104.2, 133.3, 157.9]) {
        const estimate = estimateTempo(clickTrack(tempoBpm, sampleRateHz, 12, 0.123));
        expectWithin(
          estimate.tempoBpm!,
          tempoBpm,
          PULSE_PRECISION_BPM,
          `${tempoBpm} BPM at ${sampleRateHz} Hz`,
        );
      }
    }
  });

  it('property: eighth-note hi-hats do not double a drum groove', () => {
    for (const tempoBpm of [90, 100, 128]) {
      const estimate = estimateTempo(groove(tempoBpm, 44_100, 20));
      expectWithin(estimate.tempoBpm!, tempoBpm, CLICK_TEMPO_TOLERANCE_BPM, `${tempoBpm} BPM groove`);
    }
  });

  it('property: hi-hat-like bursts above the decimated band give a clear pulse (through the high band)', () => {
    // Bursts of a sine at a quarter of the rate (11.025 kHz), where the 4-sample block average
    // has a null: the decimated bands see little more than their 2 ms attacks (pulse clarity
    // measured 0.75–0.80 from them alone), the high band their whole energy (0.95–0.96).
    const sampleRateHz = 44_100;
    for (const tempoBpm of [90, 128]) {
      const samples = new Float32Array(20 * sampleRateHz);
      for (let beatSeconds = 0.1; beatSeconds < 20; beatSeconds += 60 / tempoBpm) {
        const start = Math.round(beatSeconds * sampleRateHz);
        for (let i = 0; i < 0.1 * sampleRateHz && start + i < samples.length; i++) {
          const attack = 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, i / (0.002 * sampleRateHz)));
          const envelope = 0.5 * attack * Math.exp(-i / (0.02 * sampleRateHz));
          samples[start + i] = envelope * Math.sin((Math.PI / 2) * (start + i) + 0.3);
        }
      }
      const estimate = estimateTempo({ sampleRateHz, channels: [samples, samples.slice()] });
      expectWithin(estimate.tempoBpm!, tempoBpm, CLICK_TEMPO_TOLERANCE_BPM, `${tempoBpm} BPM 11 kHz bursts`);
      expect(estimate.confidence).toBeGreaterThan(CLEAR_PULSE_MIN_CONFIDENCE);
    }
  });

  it('property: the estimate does not depend on level or on mono versus dual mono', () => {
    const loud = clickTrack(120, 48_000);
    const quiet = { ...loud, channels: loud.channels.map((c) => c.map((x) => x * 0.03)) };
    const mono = { ...loud, channels: [loud.channels[0]!] };
    const reference = estimateTempo(loud).tempoBpm!;
    expectWithin(estimateTempo(quiet).tempoBpm!, reference, PULSE_PRECISION_BPM, '−30 dB');
    expectWithin(estimateTempo(mono).tempoBpm!, reference, PULSE_PRECISION_BPM, 'mono');
  });

  it('limit (documented): an even pulse above ~165 BPM reads at half tempo', () => {
    expectWithin(
      estimateTempo(clickTrack(180, 44_100)).tempoBpm!,
      90,
      CLICK_TEMPO_TOLERANCE_BPM,
      '180 BPM clicks',
    );
  });

  it('noise has a low confidence', () => {
    const estimate = estimateTempo(whiteNoise({ sampleRateHz: 44_100, durationSeconds: 10, rmsDbfs: -20 }));
    expect(estimate.confidence).toBeLessThan(NOISE_MAX_CONFIDENCE);
  });

  it('edge: silence, empty and too-short audio give { tempoBpm: null, confidence: 0 }', () => {
    const none = { tempoBpm: null, confidence: 0 };
    expect(estimateTempo(silence({ sampleRateHz: 44_100, durationSeconds: 5 }))).toEqual(none);
    expect(estimateTempo({ sampleRateHz: 44_100, channels: [new Float32Array(0)] })).toEqual(none);
    expect(estimateTempo(clickTrack(120, 44_100, 1.5))).toEqual(none);
  });

  it('rejects invalid audio with DSP_INVALID_PARAMETER', () => {
    expect(() => estimateTempo({ sampleRateHz: Number.NaN, channels: [new Float32Array(10)] })).toThrow(
      expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
    );
  });
});
