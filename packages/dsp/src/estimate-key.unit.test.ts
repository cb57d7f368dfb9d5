import { silence, whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { estimateKey, PITCH_CLASSES } from './estimate-key.ts';
import type { PlanarAudio } from './planar-audio.ts';

/** Synthetic triads with harmonics: measured confidence 0.34–0.54. */
const TONAL_MIN_CONFIDENCE = 0.2;
/** White noise has a flat chroma: measured about 0.004. */
const NOISE_MAX_CONFIDENCE = 0.05;

const midiToHz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/**
 * One chord per `chordSeconds`, each note (MIDI number) a sum of harmonics 1–4 at 1/h, with
 * 10 ms fades, the same in both channels.
 */
function progression(
  chords: readonly (readonly number[])[],
  sampleRateHz: number,
  chordSeconds = 1,
): PlanarAudio {
  const chordSamples = Math.round(chordSeconds * sampleRateHz);
  const fadeSamples = 0.01 * sampleRateHz;
  const samples = new Float32Array(chordSamples * chords.length);
  chords.forEach((notes, index) => {
    for (const midi of notes) {
      for (let harmonic = 1; harmonic <= 4; harmonic++) {
        const step = (2 * Math.PI * midiToHz(midi) * harmonic) / sampleRateHz;
        const amplitude = 0.08 / harmonic;
        for (let i = 0; i < chordSamples; i++) {
          const fade = Math.min(1, i / fadeSamples, (chordSamples - i) / fadeSamples);
          const at = index * chordSamples + i;
          samples[at] = samples[at]! + amplitude * fade * Math.sin(step * i);
        }
      }
    }
  });
  return { sampleRateHz, channels: [samples, samples.slice()] };
}

// Bass note plus a close-position triad, MIDI numbers (60 = C4).
const C_MAJOR_I_IV_V_I = [
  [48, 60, 64, 67],
  [53, 60, 65, 69],
  [43, 59, 62, 67],
  [48, 60, 64, 67],
] as const;
const A_MINOR_I_IV_V_I = [
  [45, 60, 64, 69],
  [50, 62, 65, 69],
  [40, 59, 64, 68],
  [45, 60, 64, 69],
] as const;
const transpose = (chords: readonly (readonly number[])[], semitones: number) =>
  chords.map((notes) => notes.map((midi) => midi + semitones));

describe('estimateKey', () => {
  it('spec: I–IV–V–I in C major reads C major', () => {
    const key = estimateKey(progression(C_MAJOR_I_IV_V_I, 44_100));
    expect(key.label).toBe('C major');
    expect(key.tonic).toBe('C');
    expect(key.mode).toBe('major');
    expect(key.confidence).toBeGreaterThan(TONAL_MIN_CONFIDENCE);
  });

  it('spec: i–iv–V–i in A minor (with the raised leading tone G#) reads A minor', () => {
    const key = estimateKey(progression(A_MINOR_I_IV_V_I, 48_000));
    expect(key.label).toBe('A minor');
    expect(key.confidence).toBeGreaterThan(TONAL_MIN_CONFIDENCE);
  });

  it('property: transposing the progression by n semitones moves the key by n (all 24 keys)', () => {
    for (let semitones = 0; semitones < 12; semitones++) {
      const major = estimateKey(progression(transpose(C_MAJOR_I_IV_V_I, semitones), 22_050));
      const minor = estimateKey(progression(transpose(A_MINOR_I_IV_V_I, semitones), 22_050));
      expect(major.label).toBe(`${PITCH_CLASSES[semitones]} major`);
      expect(minor.label).toBe(`${PITCH_CLASSES[(9 + semitones) % 12]} minor`);
    }
  });

  it('property: level and rate do not change the key', () => {
    const audio = progression(C_MAJOR_I_IV_V_I, 96_000);
    const quiet = { ...audio, channels: audio.channels.map((c) => c.map((x) => x * 0.001)) };
    expect(estimateKey(audio).label).toBe('C major');
    expect(estimateKey(quiet).label).toBe('C major');
  });

  it('property: a recording longer than the frame cap (sampled by spread frames) reads the same key', () => {
    // 60 s at 22.05 kHz: about 160 frames of 16384 at 50 % overlap, so 128 spread frames are used.
    const long = progression(A_MINOR_I_IV_V_I, 22_050, 15);
    const short = progression(A_MINOR_I_IV_V_I, 22_050);
    const key = estimateKey(long);
    expect(key.label).toBe('A minor');
    expect(key.label).toBe(estimateKey(short).label);
    expect(key.confidence).toBeGreaterThan(TONAL_MIN_CONFIDENCE);
  });

  it('noise gets a confidence near 0', () => {
    const key = estimateKey(whiteNoise({ sampleRateHz: 44_100, durationSeconds: 5, rmsDbfs: -20 }));
    expect(key.confidence).toBeLessThan(NOISE_MAX_CONFIDENCE);
  });

  it('edge: silence and empty audio give no key', () => {
    const none = { tonic: null, mode: null, label: null, confidence: 0 };
    expect(estimateKey(silence({ sampleRateHz: 44_100, durationSeconds: 2 }))).toEqual(none);
    expect(estimateKey({ sampleRateHz: 44_100, channels: [new Float32Array(0)] })).toEqual(none);
  });

  it('edge: audio shorter than one frame is still analysed', () => {
    const short = progression([[48, 60, 64, 67]], 44_100, 0.5);
    expect(estimateKey(short).tonic).not.toBeNull();
  });

  it('rejects invalid audio with DSP_INVALID_PARAMETER', () => {
    expect(() => estimateKey({ sampleRateHz: 44_100, channels: [] })).toThrow(
      expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' }),
    );
  });
});
