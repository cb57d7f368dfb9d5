import { biquadMagnitudeDb, designButterworthHighPass } from '@lacquer/dsp';
import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { DEFAULT_TARGET } from './delivery-target.ts';
import { eqCurves } from './eq-curves.ts';
import type { EqMove, MasteringPlan, MatchEqStage } from './mastering-plan.ts';
import { analysisOf } from './test-support/analysis-fixture.ts';

// Sums of a few closed-form terms: float64 round-off only.
const EXACT_DB = 1e-9;
// A 4th-order Linkwitz–Riley high-pass is a 2nd-order Butterworth squared: −6.02 dB at the
// crossover (20·log10 ½).
const LINKWITZ_RILEY_AT_CROSSOVER_DB = 20 * Math.log10(0.5);
// The bilinear Butterworth the comparison uses is warped by (tan(πf/fs)/(πf/fs))⁴ against the
// analog response: under 0.001 dB below 1 kHz at 96 kHz.
const BILINEAR_WARP_DB = 0.001;

/** A plan with nothing but gain and limiter, then `stages`. */
function planWith(stages: Partial<MasteringPlan>): MasteringPlan {
  return { ...decide(analysisOf(), DEFAULT_TARGET), highPass: null, ...stages };
}

const move = (shape: EqMove['shape'], frequencyHz: number, gainDb: number): EqMove => ({
  shape,
  frequencyHz,
  gainDb,
  evidence: { regionHz: [31.5, 16_000], deviationDb: 0 },
  reason: 'test',
});

const matchEq = (gainDb: number): MatchEqStage => ({
  frequenciesHz: [20, 100, 1000, 10_000, 20_000],
  midGainDb: [gainDb, gainDb, gainDb, gainDb, gainDb],
  sideGainDb: [gainDb, gainDb, gainDb, gainDb, gainDb],
  evidence: { largestBoostDb: 0, largestBoostHz: 20, largestCutDb: 0, largestCutHz: 20 },
  reason: 'test',
});

const monoBass = { crossoverHz: 100, evidence: { sideToMidBelowCrossoverDb: -5 }, reason: 'test' };

describe('eqCurves', () => {
  it('is null when no move needs the linear-phase FIR, a width change alone included', () => {
    expect(eqCurves(planWith({}))).toBeNull();
    expect(eqCurves(planWith({ width: { sideGainDb: 2, reason: 'test' } }))).toBeNull();
    expect(eqCurves(planWith({ eq: [move('tilt', 1000, 0.5)] }))).not.toBeNull();
    expect(eqCurves(planWith({ matchEq: matchEq(1) }))).not.toBeNull();
    expect(eqCurves(planWith({ monoBass }))).not.toBeNull();
  });

  it('draws the auto moves, summed, the same on mid and side', () => {
    const moves = [move('lowShelf', 100, -2), move('highShelf', 8000, 1.5), move('tilt', 1000, 0.3)];
    const curves = eqCurves(planWith({ eq: moves }))!;
    // Half of each shelf at its corner, the tilt by octaves from 1 kHz; the other shelf is
    // 6.3 octaves away there, under 10⁻¹⁰ of its gain.
    expectWithin(curves.mid(100), -1 + 0.3 * Math.log2(0.1), EXACT_DB, 'mid at 100 Hz');
    expectWithin(curves.mid(8000), 0.75 + 0.3 * 3, EXACT_DB, 'mid at 8 kHz');
    // At the pivot only the shelves' far tails remain (e^−13.3 of their gains).
    expectWithin(curves.mid(1000), 0, 1e-5, 'mid at 1 kHz');
    for (const hz of [10, 31.5, 100, 1000, 8000, 16_000, 22_000]) {
      expectWithin(curves.side(hz), curves.mid(hz), EXACT_DB, `side against mid at ${hz} Hz`);
    }
  });

  it('folds the width into the side curve as a broadband gain', () => {
    const curves = eqCurves(
      planWith({ eq: [move('lowShelf', 100, 3)], width: { sideGainDb: -2, reason: 'test' } }),
    )!;
    for (const hz of [20, 100, 1000, 16_000]) {
      expectWithin(curves.side(hz) - curves.mid(hz), -2, EXACT_DB, `side − mid at ${hz} Hz`);
    }
  });

  it('makes the side a 4th-order Linkwitz–Riley high-pass at the mono-bass crossover', () => {
    const curves = eqCurves(planWith({ monoBass }))!;
    expectWithin(curves.side(100), LINKWITZ_RILEY_AT_CROSSOVER_DB, EXACT_DB, 'side at the crossover');
    expect(curves.side(25)).toBeLessThan(-45);
    expectWithin(curves.side(0), -80, EXACT_DB, 'side at DC (the floor)');
    expectWithin(curves.side(10_000), 0, 1e-6, 'side at 10 kHz');
    for (const hz of [0, 25, 100, 1000]) expectWithin(curves.mid(hz), 0, EXACT_DB, `mid at ${hz} Hz`);
    // Differential: twice a 2nd-order Butterworth high-pass (bilinear, at a rate far above).
    const sampleRateHz = 96_000;
    const butterworth = designButterworthHighPass({ sampleRateHz, frequencyHz: 100, order: 2 });
    for (const hz of [30, 50, 70, 100, 141, 200, 400, 1000]) {
      expectWithin(
        curves.side(hz),
        2 * biquadMagnitudeDb(butterworth, hz, sampleRateHz),
        BILINEAR_WARP_DB,
        `side at ${hz} Hz`,
      );
    }
  });

  it('never lets the side go under −80 dB, however deep the cuts add up', () => {
    const curves = eqCurves(
      planWith({ monoBass, matchEq: matchEq(-12), width: { sideGainDb: -12, reason: 't' } }),
    )!;
    for (const hz of [0, 1, 5, 20]) expect(curves.side(hz)).toBeGreaterThanOrEqual(-80);
  });

  it('lets the match EQ cut below 25 Hz but never boost there', () => {
    const boost = eqCurves(planWith({ matchEq: matchEq(6) }))!;
    for (const hz of [0, 10, 20, 24.9]) {
      expectWithin(boost.mid(hz), 0, EXACT_DB, `mid at ${hz} Hz`);
      expectWithin(boost.side(hz), 0, EXACT_DB, `side at ${hz} Hz`);
    }
    expectWithin(boost.mid(25), 6, EXACT_DB, 'mid boost at 25 Hz');
    const cut = eqCurves(planWith({ matchEq: matchEq(-6) }))!;
    for (const hz of [0, 10, 24.9, 25, 1000]) {
      expectWithin(cut.mid(hz), -6, EXACT_DB, `mid cut at ${hz} Hz`);
      expectWithin(cut.side(hz), -6, EXACT_DB, `side cut at ${hz} Hz`);
    }
  });

  it('interpolates the match curves in log frequency between their points', () => {
    const stage: MatchEqStage = {
      ...matchEq(0),
      frequenciesHz: [100, 400],
      midGainDb: [0, 4],
      sideGainDb: [-2, -2],
    };
    const curves = eqCurves(planWith({ matchEq: stage }))!;
    expectWithin(curves.mid(200), 2, EXACT_DB, 'mid halfway in octaves');
    expectWithin(curves.mid(50), 0, EXACT_DB, 'mid held below the grid');
    expectWithin(curves.mid(10_000), 4, EXACT_DB, 'mid held above the grid');
    expectWithin(curves.side(300), -2, EXACT_DB, 'side');
  });
});
