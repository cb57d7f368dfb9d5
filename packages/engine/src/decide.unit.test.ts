import type { ThirdOctaveSpectrum } from '@lacquer/dsp';
import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import type { Analysis } from './analysis.ts';
import { decide } from './decide.ts';
import { DEFAULT_TARGET, DELIVERY_PRESETS, resolveTarget } from './delivery-target.ts';
import { BALANCED_CURVE } from './tonal-curve.ts';

const INTEGRATED_LUFS = -18;

/** A spectrum that follows the balanced curve, shifted per band by `deviationDb(hz)`. */
function spectrumOf(deviationDb: (hz: number) => number): ThirdOctaveSpectrum {
  return {
    bands: BALANCED_CURVE.bandsDb.map(([hz, levelDb]) => ({
      centreFrequencyHz: hz,
      nominalCentreFrequencyHz: hz,
      lowerEdgeFrequencyHz: hz * 2 ** (-1 / 6),
      upperEdgeFrequencyHz: hz * 2 ** (1 / 6),
      levelDb: levelDb + INTEGRATED_LUFS + deviationDb(hz),
    })),
    analyzedFrameCount: 100,
    skippedFrameCount: 0,
    fftSizeSamples: 8192,
  };
}

/** An analysis of a plain, healthy stereo mix; tests override what they are about. */
function analysisOf(overrides: Partial<Analysis> = {}): Analysis {
  return {
    sampleRateHz: 44100,
    channelCount: 2,
    durationSeconds: 180,
    integratedLufs: INTEGRATED_LUFS,
    loudnessRangeLu: 6,
    momentaryMaxLufs: -12,
    shortTermMaxLufs: -14,
    truePeakDbtp: -6,
    samplePeakDbfs: -6.2,
    plrDb: 12,
    rmsDbfs: -19,
    crestFactorDb: 12.8,
    dcOffsetLinear: [0, 0],
    stereo: { correlation: 0.8, sideToMidDb: -12, widthRatio: 0.06 },
    spectrum: spectrumOf(() => 0),
    clipping: { clippedSampleCount: 0, runCount: 0, longestRunSamples: 0, runs: [] },
    silence: { regions: [], leadingSilenceSeconds: 0, trailingSilenceSeconds: 0, totalSilentSeconds: 0 },
    tempo: { tempoBpm: 120, confidence: 0.5 },
    key: { tonic: 'A', mode: 'minor', label: 'A minor', confidence: 0.4 },
    loudestSection: { startSeconds: 60, endSeconds: 90, loudnessLufs: -15 },
    ...overrides,
  };
}

describe('resolveTarget', () => {
  it('defaults to −14 LUFS / −1 dBTP and knows every preset, each with a source', () => {
    expect(resolveTarget({})).toEqual(DEFAULT_TARGET);
    expect(DEFAULT_TARGET).toMatchObject({ integratedLufs: -14, truePeakCeilingDbtp: -1 });
    for (const name of Object.keys(DELIVERY_PRESETS)) {
      expect(resolveTarget({ preset: name }).source.length).toBeGreaterThan(10);
    }
  });

  it('lets explicit figures override a preset, and names the result custom', () => {
    expect(resolveTarget({ preset: 'apple-music', truePeakCeilingDbtp: -2 })).toMatchObject({
      name: 'custom',
      integratedLufs: -16,
      truePeakCeilingDbtp: -2,
    });
  });

  it.each([
    { preset: 'vinyl' },
    { integratedLufs: -3 },
    { integratedLufs: Number.NaN },
    { truePeakCeilingDbtp: 1 },
  ])('rejects %o with ENGINE_INVALID_TARGET', (request) => {
    expect(() => resolveTarget(request)).toThrow(expect.objectContaining({ code: 'ENGINE_INVALID_TARGET' }));
  });
});

describe('decide', () => {
  it('leaves a balanced, healthy mix alone but for gain and limiter, and says why', () => {
    const plan = decide(analysisOf(), DEFAULT_TARGET);
    expect(plan.eq).toEqual([]);
    expect(plan.compressor).toBeNull();
    expect(plan.width).toBeNull();
    expect(plan.gain.gainDb).toBe(4);
    expect(plan.limiter.ceilingDbtp).toBe(-1);
    expect(plan.notes.join(' ')).toMatch(/no compression/);
  });

  it('cuts a low end 4 dB above the curve with a low shelf, naming the measured deviation', () => {
    const plan = decide(
      analysisOf({ spectrum: spectrumOf((hz) => (hz >= 40 && hz <= 100 ? 4 : 0)) }),
      DEFAULT_TARGET,
    );
    const [band] = plan.eq;
    expect(plan.eq).toHaveLength(1);
    expect(band).toMatchObject({ shape: 'lowShelf', frequencyHz: 100 });
    expect(band!.gainDb).toBeLessThan(0);
    expect(band!.gainDb).toBeGreaterThanOrEqual(-4);
    // The 100 Hz band also lifts the 100 Hz–10 kHz mean the shape is measured against: 4·(1 − 1/21).
    // The plan rounds to 0.1 dB.
    expectWithin(band!.evidence.deviationDb, 3.8, 0.05, 'low-end deviation (dB)');
    expect(band!.reason).toMatch(
      /^low end 3\.8 dB above the balanced curve at 40–100 Hz → low shelf at 100 Hz −\d\.\d dB$/,
    );
  });

  it('scales EQ moves with intensity', () => {
    const analysis = analysisOf({ spectrum: spectrumOf((hz) => (hz >= 8000 && hz <= 12500 ? -5 : 0)) });
    const gentle = decide(analysis, DEFAULT_TARGET, { intensityPercent: 0 }).eq[0]!.gainDb;
    const strong = decide(analysis, DEFAULT_TARGET, { intensityPercent: 100 }).eq[0]!.gainDb;
    expect(gentle).toBeGreaterThan(0);
    expect(strong).toBeGreaterThan(gentle);
  });

  it('adds glue compression when the limiter alone would shave more than 4 dB', () => {
    // −18 LUFS with peaks at −1 dBTP, to −9 LUFS: 9 dB of peak limiting otherwise.
    const plan = decide(analysisOf({ truePeakDbtp: -1, plrDb: 17 }), resolveTarget({ integratedLufs: -9 }));
    expect(plan.compressor).toMatchObject({ ratio: 2 });
    expect(plan.compressor!.reason).toMatch(/9\.0 dB of peak limiting/);
  });

  it('narrows out-of-phase stereo and leaves mono alone', () => {
    const wide = decide(
      analysisOf({ stereo: { correlation: -0.3, sideToMidDb: 2, widthRatio: 0.6 } }),
      DEFAULT_TARGET,
    );
    expect(wide.width).toMatchObject({ sideGainDb: -3 });
    expect(decide(analysisOf({ channelCount: 1 }), DEFAULT_TARGET).width).toBeNull();
  });

  it('refuses silence and sub-400 ms input with their codes', () => {
    expect(() => decide(analysisOf({ integratedLufs: Number.NEGATIVE_INFINITY }), DEFAULT_TARGET)).toThrow(
      expect.objectContaining({ code: 'ENGINE_SILENT_INPUT' }),
    );
    expect(() => decide(analysisOf({ durationSeconds: 0.2 }), DEFAULT_TARGET)).toThrow(
      expect.objectContaining({ code: 'ENGINE_INPUT_TOO_SHORT' }),
    );
  });
});
