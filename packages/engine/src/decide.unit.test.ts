import { compressorStaticCurveDb } from '@lacquer/dsp';
import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import type { Analysis } from './analysis.ts';
import { MASTERING_NORMS } from './corpus-measurements.ts';
import { decide } from './decide.ts';
import { DEFAULT_TARGET, DELIVERY_PRESETS, resolveTarget } from './delivery-target.ts';
import { eqCurves } from './eq-curves.ts';
import type { EqMove, MasteringPlan } from './mastering-plan.ts';
import { FULL_MATCH } from './match-amounts.ts';
import {
  analysisOf,
  FIXTURE_LOUDNESS_LUFS,
  gainedAnalysis,
  midSideOf,
  shiftedMidSide,
  tonalBalanceOf,
} from './test-support/analysis-fixture.ts';

// The plan writes gains and evidence to 0.1 dB (`round1`): half a step either way.
const PLAN_ROUNDING_DB = 0.05;
// The match EQ's curves are written to 0.01 dB.
const CURVE_ROUNDING_DB = 0.005;

const invalidOption = expect.objectContaining({ code: 'ENGINE_INVALID_OPTION' });

/** The only move of `shape` in a plan (fails the test when there is none). */
function moveOf(plan: MasteringPlan, shape: EqMove['shape']): EqMove {
  const moves = plan.eq.filter((move) => move.shape === shape);
  expect(moves, `${shape} moves in ${JSON.stringify(plan.eq)}`).toHaveLength(1);
  return moves[0]!;
}

/** The mid response the render draws from the plan's EQ, dB (0 when it draws none). */
function midResponseDb(plan: MasteringPlan, frequencyHz: number): number {
  return eqCurves(plan)?.mid(frequencyHz) ?? 0;
}

/** A mix whose tonal balance is the balanced curve moved by `deviationDb(band centre)`. */
function mixWith(deviationDb: (frequencyHz: number) => number): Analysis {
  return analysisOf({ tonalBalanceDb: tonalBalanceOf(deviationDb) });
}

const bassExcess = mixWith((hz) => (hz <= 100 ? 4 : 0));
const dullTop = mixWith((hz) => (hz >= 8000 ? -4 : 0));
/** +1 dB per octave about 1 kHz: too bright and thin. */
const tiltedUp = mixWith((hz) => Math.log2(hz / 1000));

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

describe('decide, auto mode: a healthy mix', () => {
  const plan = decide(analysisOf(), DEFAULT_TARGET);

  it('on the balanced curve, with a healthy image and dynamics, gets gain and the limiter only', () => {
    expect(plan).toMatchObject({
      mode: 'auto',
      tonalCurve: 'balanced',
      amounts: null,
      eq: [],
      matchEq: null,
      width: null,
      monoBass: null,
      compressor: null,
      highPass: { frequencyHz: 20, order: 2 },
      limiter: { ceilingDbtp: -1, peakToLoudnessDb: null },
    });
    expect(eqCurves(plan)).toBeNull();
  });

  it('brings the loudness to the target by the difference', () => {
    expectWithin(
      plan.gain.gainDb,
      DEFAULT_TARGET.integratedLufs - FIXTURE_LOUDNESS_LUFS,
      PLAN_ROUNDING_DB,
      'gain (dB)',
    );
    expect(plan.gain.reason).toMatch(/-18\.0 LUFS, target -14 LUFS → \+4\.0 dB/);
  });

  it('says why it made no move, one note per decision', () => {
    const notes = plan.notes.join('\n');
    expect(notes).toMatch(/low end 0\.0 dB \w+ the balanced curve at 31\.5–100 Hz/);
    expect(notes).toMatch(/stereo image kept as it is/);
    expect(notes).toMatch(/low end kept in stereo/);
    expect(notes).toMatch(/no compression/);
  });
});

describe('decide, auto mode: tonal EQ against the curve', () => {
  it('cuts a low end 4 dB above the curve with a low shelf, naming what it measured', () => {
    const plan = decide(bassExcess, DEFAULT_TARGET);
    const shelf = moveOf(plan, 'lowShelf');
    expect(shelf.frequencyHz).toBe(100);
    expect(shelf.gainDb).toBeLessThan(0);
    expect(shelf.evidence.regionHz).toEqual([31.5, 100]);
    expect(shelf.evidence.deviationDb).toBeGreaterThan(0);
    const [, measuredDb] = /^low end (\d+\.\d) dB above the balanced curve at 31\.5–100 Hz → low shelf/.exec(
      shelf.reason,
    ) ?? ['', 'missing'];
    expect(Number(measuredDb)).toBe(shelf.evidence.deviationDb);
    // The render's curve cuts the low end.
    expect(midResponseDb(plan, 50)).toBeLessThan(0);
  });

  it('fixes a bass excess mostly where it is, with little spill into a top end on the curve', () => {
    const plan = decide(bassExcess, DEFAULT_TARGET, { intensityPercent: 100 });
    // The regularized fit lets the tilt take a share of a one-sided excess (the price of not
    // chasing songs' own character, see decide-tonal-eq.ts): the top moves, but by a quarter
    // of what the bass moves at most, and under 1 dB.
    const bassDb = midResponseDb(plan, 50);
    expect(bassDb).toBeLessThanOrEqual(-2);
    for (const hz of [8000, 12_500, 16_000]) {
      const topDb = midResponseDb(plan, hz);
      expectWithin(topDb, 0, Math.min(1, -0.25 * bassDb), `response at ${hz} Hz (dB)`);
    }
  });

  it('lifts a top end 4 dB under the curve with a high shelf', () => {
    const plan = decide(dullTop, DEFAULT_TARGET);
    const shelf = moveOf(plan, 'highShelf');
    expect(shelf.frequencyHz).toBe(8000);
    expect(shelf.gainDb).toBeGreaterThan(0);
    expect(shelf.evidence.deviationDb).toBeLessThan(0);
    expect(shelf.reason).toMatch(/^top end \d+\.\d dB below the balanced curve at 8–16 kHz → high shelf/);
  });

  it.each([
    { slopeDbPerOctave: 1, sign: -1 },
    { slopeDbPerOctave: -1, sign: 1 },
  ])(
    'answers a tilt of $slopeDbPerOctave dB/octave with a tilt the other way',
    ({ slopeDbPerOctave, sign }) => {
      const plan = decide(
        mixWith((hz) => slopeDbPerOctave * Math.log2(hz / 1000)),
        DEFAULT_TARGET,
      );
      const tilt = moveOf(plan, 'tilt');
      expect(tilt.frequencyHz).toBe(1000);
      expect(Math.sign(tilt.gainDb)).toBe(sign);
      expect(Math.sign(tilt.evidence.deviationDb)).toBe(-sign);
      expect(tilt.reason).toMatch(/overall tilt .* dB\/octave against the balanced curve → tilt/);
    },
  );

  it('makes no move at intensity 0, and says what it measured', () => {
    for (const mix of [bassExcess, dullTop, tiltedUp]) {
      const plan = decide(mix, DEFAULT_TARGET, { intensityPercent: 0 });
      expect(plan.eq).toEqual([]);
      expect(plan.intensityPercent).toBe(0);
      expect(plan.notes.join('\n')).toMatch(/overall tilt .* dB\/octave against the balanced curve/);
    }
  });

  it.each([
    { name: 'bass excess', mix: bassExcess, deviatingHz: [31.5] },
    { name: 'tilt', mix: tiltedUp, deviatingHz: [31.5, 16_000] },
  ])('scales its moves monotonically with intensity ($name)', ({ mix, deviatingHz }) => {
    const plans = [0, 20, 40, 60, 80, 100].map((intensityPercent) =>
      decide(mix, DEFAULT_TARGET, { intensityPercent }),
    );
    const sizeDb = (plan: MasteringPlan, shape: EqMove['shape']) =>
      Math.abs(plan.eq.find((move) => move.shape === shape)?.gainDb ?? 0);
    for (let k = 1; k < plans.length; k++) {
      for (const shape of ['lowShelf', 'highShelf', 'tilt'] as const) {
        expect(sizeDb(plans[k]!, shape), shape).toBeGreaterThanOrEqual(sizeDb(plans[k - 1]!, shape));
      }
      // Where the mix deviates, the correction grows too (a move that appears can cancel a
      // little of another elsewhere, so only there).
      for (const hz of deviatingHz) {
        expect(Math.abs(midResponseDb(plans[k]!, hz))).toBeGreaterThanOrEqual(
          Math.abs(midResponseDb(plans[k - 1]!, hz)),
        );
      }
    }
    expect(Math.abs(midResponseDb(plans.at(-1)!, 31.5))).toBeGreaterThan(1);
  });

  it('tilts a mix on the balanced curve one way for warm and the other for bright, equally', () => {
    const mix = analysisOf();
    const warm = moveOf(decide(mix, DEFAULT_TARGET, { style: 'warm' }), 'tilt');
    const bright = moveOf(decide(mix, DEFAULT_TARGET, { style: 'bright' }), 'tilt');
    expect(warm.gainDb).toBeLessThan(0);
    expect(bright.gainDb).toBeGreaterThan(0);
    // The styles are balanced tilted by ∓ the same slope (corpus-measurements.ts, 0.01 dB data):
    // the moves mirror each other to the plan's 0.01 dB/octave.
    expectWithin(warm.gainDb, -bright.gainDb, 0.011, 'warm tilt against minus bright tilt (dB/octave)');
    expect(decide(mix, DEFAULT_TARGET, { style: 'warm' }).tonalCurve).toBe('warm');
  });

  it('refuses an unknown style and an intensity outside 0 … 100 with ENGINE_INVALID_OPTION', () => {
    expect(() => decide(analysisOf(), DEFAULT_TARGET, { style: 'dark' })).toThrow(invalidOption);
    for (const intensityPercent of [101, -1, Number.NaN]) {
      expect(() => decide(analysisOf(), DEFAULT_TARGET, { intensityPercent })).toThrow(invalidOption);
    }
  });
});

describe('decide, auto mode: glue compression', () => {
  // −18 LUFS with peaks at −1 dBTP, to −9 LUFS / −1 dBTP: 9 dB of peak limiting otherwise.
  const LOUD_TARGET = resolveTarget({ integratedLufs: -9 });
  const LIMITING_DB = 9;
  const punchy = (overrides: Partial<Analysis> = {}) =>
    analysisOf({ truePeakDbtp: -1, plrDb: 17, ...overrides });

  it('compresses 2:1 when the limiter alone would shave more than 4 dB, sized by the documented rule', () => {
    const intensityPercent = 80;
    const mix = punchy();
    const compressor = decide(mix, LOUD_TARGET, { intensityPercent }).compressor;
    expect(compressor).toMatchObject({ ratio: 2, releaseMs: 250, attackMs: 10 });
    expect(compressor!.reason).toMatch(/9\.0 dB of peak limiting/);
    // decideGlueCompressor's TSDoc: (limiting − 4 dB)·(0.5 + intensity/200), on loud passages
    // (RMS + short-term max − integrated), by the compressor's own static curve.
    const plannedDb = (LIMITING_DB - 4) * (0.5 + intensityPercent / 200);
    const loudLevelDb = mix.rmsDbfs + mix.shortTermMaxLufs - mix.integratedLufs;
    const reductionDb = loudLevelDb - compressorStaticCurveDb(loudLevelDb, compressor!);
    expectWithin(reductionDb, plannedDb, PLAN_ROUNDING_DB, 'gain reduction on loud passages (dB)');
  });

  it('compresses 1.5:1 with a 400 ms release when the loudness range is over 12 LU', () => {
    const compressor = decide(punchy({ loudnessRangeLu: 14 }), LOUD_TARGET).compressor;
    expect(compressor).toMatchObject({ ratio: 1.5, releaseMs: 400 });
  });

  it('lets sharp transients through with a 30 ms attack when the crest factor is over the corpus', () => {
    const { crestFactorDb } = MASTERING_NORMS;
    const sharp = punchy({ crestFactorDb: crestFactorDb.mean + crestFactorDb.sd + 1 });
    expect(decide(sharp, LOUD_TARGET).compressor).toMatchObject({ attackMs: 30 });
  });

  it('does not compress at intensity 0, nor when 4 dB of limiting or less reaches the target', () => {
    expect(decide(punchy(), LOUD_TARGET, { intensityPercent: 0 }).compressor).toBeNull();
    // −18 LUFS peaking at −1 dBTP, to −14 LUFS / −1 dBTP: exactly 4 dB.
    expect(decide(punchy(), DEFAULT_TARGET).compressor).toBeNull();
  });
});

describe('decide, auto mode: width and mono bass', () => {
  it('narrows a partly out-of-phase mix by 3 dB of side', () => {
    const plan = decide(
      analysisOf({ stereo: { correlation: -0.3, sideToMidDb: 2, widthRatio: 0.6 } }),
      DEFAULT_TARGET,
    );
    expect(plan.width?.sideGainDb).toBe(-3);
    expect(plan.width?.reason).toMatch(/correlation -0\.30/);
  });

  it('widens a very narrow mix, by at most 3 dB', () => {
    const plan = decide(
      analysisOf({ stereo: { correlation: 0.98, sideToMidDb: -30, widthRatio: 0.001 } }),
      DEFAULT_TARGET,
      { intensityPercent: 100 },
    );
    expect(plan.width?.sideGainDb).toBeGreaterThan(0);
    expect(plan.width?.sideGainDb).toBeLessThanOrEqual(3);
  });

  it('leaves width and low end of a mono mix alone', () => {
    const plan = decide(
      analysisOf({
        channelCount: 1,
        dcOffsetLinear: [0],
        stereo: { correlation: 1, sideToMidDb: Number.NEGATIVE_INFINITY, widthRatio: 0 },
      }),
      DEFAULT_TARGET,
    );
    expect(plan.width).toBeNull();
    expect(plan.monoBass).toBeNull();
  });

  it('plays the bass in mono below 100 Hz when the side carries more bass than the corpus masters do', () => {
    const { mean, sd } = MASTERING_NORMS.lowSideToMidDb;
    const limitDb = mean + 2 * sd;
    const sideBass = (sideToMidBelow100Db: number) =>
      analysisOf({ midSide: midSideOf({ sideUnderMidDb: (hz) => (hz < 150 ? -sideToMidBelow100Db : 9) }) });

    const plan = decide(sideBass(limitDb + 2), DEFAULT_TARGET);
    expect(plan.monoBass?.crossoverHz).toBe(100);
    expectWithin(
      plan.monoBass!.evidence.sideToMidBelowCrossoverDb,
      limitDb + 2,
      PLAN_ROUNDING_DB,
      'side to mid below 100 Hz (dB)',
    );
    expect(plan.monoBass!.reason).toMatch(/mono below 100 Hz/);

    const kept = decide(sideBass(limitDb - 2), DEFAULT_TARGET);
    expect(kept.monoBass).toBeNull();
    expect(kept.notes.join('\n')).toMatch(/low end kept in stereo/);
  });
});

describe('decide, reference mode', () => {
  const mix = analysisOf();

  it('matches nothing when the reference is the mix itself', () => {
    const plan = decide(mix, DEFAULT_TARGET, { reference: mix });
    expect(plan).toMatchObject({
      mode: 'reference',
      tonalCurve: 'reference',
      amounts: FULL_MATCH,
      highPass: null,
      eq: [],
      monoBass: null,
      width: null,
      compressor: null,
      limiter: { peakToLoudnessDb: null },
    });
    for (const db of [...plan.matchEq!.midGainDb, ...plan.matchEq!.sideGainDb]) {
      expectWithin(db, 0, CURVE_ROUNDING_DB, 'match gain (dB)');
    }
  });

  it('matches the balance, not the loudness: a louder copy of the mix asks for no EQ, and a note says so', () => {
    const louder = gainedAnalysis(mix, 9);
    const plan = decide(mix, DEFAULT_TARGET, { reference: louder });
    for (const db of [...plan.matchEq!.midGainDb, ...plan.matchEq!.sideGainDb]) {
      expectWithin(db, 0, CURVE_ROUNDING_DB, 'match gain (dB)');
    }
    expect(plan.width).toBeNull();
    expect(plan.notes.join('\n')).toMatch(/-9\.0 LUFS, louder than the -14 LUFS target: .* not its loudness/);
    expect(decide(mix, DEFAULT_TARGET, { reference: mix }).notes.join('\n')).not.toMatch(/not its loudness/);
  });

  describe('a mix with 4 dB more mid below 150 Hz than the reference', () => {
    const boomy = analysisOf({
      midSide: shiftedMidSide(mix.midSide, { mid: (hz) => (hz < 150 ? 4 : 0) }),
    });
    const lowPoints = boomy.midSide.frequenciesHz.flatMap((hz, i) => (hz < 150 ? [i] : []));
    const highPoints = boomy.midSide.frequenciesHz.flatMap((hz, i) => (hz >= 150 ? [i] : []));

    it.each([
      { tonePercent: 100, expectedDb: -4 },
      { tonePercent: 50, expectedDb: -2 },
    ])(
      'is cut by $expectedDb dB there at tone $tonePercent %, and left alone above',
      ({ tonePercent, expectedDb }) => {
        const plan = decide(boomy, DEFAULT_TARGET, { reference: mix, amounts: { tonePercent } });
        const { midGainDb, evidence, reason } = plan.matchEq!;
        for (const i of lowPoints)
          expectWithin(midGainDb[i]!, expectedDb, CURVE_ROUNDING_DB, `mid gain [${i}]`);
        for (const i of highPoints) expectWithin(midGainDb[i]!, 0, CURVE_ROUNDING_DB, `mid gain [${i}]`);
        // The evidence is before the amount.
        expectWithin(evidence.largestCutDb, -4, PLAN_ROUNDING_DB, 'largest cut (dB)');
        expect(evidence.largestCutHz).toBeLessThan(150);
        expect(reason).toMatch(new RegExp(`${tonePercent} % of the way`));
      },
    );

    it('leaves the side, the same in both, alone: the side curve and the width cancel', () => {
      const plan = decide(boomy, DEFAULT_TARGET, { reference: mix });
      // The boomy mid lowers the mix's side-to-mid ratio: the width stage widens…
      expect(plan.width?.sideGainDb).toBeGreaterThan(0);
      // …and the side curve takes the broadband change back out.
      const side = eqCurves(plan)!.side;
      for (const hz of [30, 100, 1000, 10_000]) {
        expectWithin(side(hz), 0, 2 * CURVE_ROUNDING_DB, `side response at ${hz} Hz (dB)`);
      }
    });
  });

  it('matches the width by the width amount', () => {
    // Reference side 6 dB up everywhere.
    const wide = analysisOf({ midSide: shiftedMidSide(mix.midSide, { side: () => 6 }) });
    const full = decide(mix, DEFAULT_TARGET, { reference: wide });
    const half = decide(mix, DEFAULT_TARGET, { reference: wide, amounts: { widthPercent: 50 } });
    expectWithin(full.width!.sideGainDb, 6, CURVE_ROUNDING_DB, 'side gain at 100 % (dB)');
    expectWithin(half.width!.sideGainDb, 3, CURVE_ROUNDING_DB, 'side gain at 50 % (dB)');
  });

  it('keeps a mono mix mono against a stereo reference', () => {
    const mono = analysisOf({ channelCount: 1, dcOffsetLinear: [0] });
    const plan = decide(mono, DEFAULT_TARGET, {
      reference: analysisOf({ midSide: shiftedMidSide(mix.midSide, { side: () => 6 }) }),
    });
    expect(plan.width).toBeNull();
    expect(plan.matchEq!.sideGainDb.every((db) => db === 0)).toBe(true);
  });

  describe('density', () => {
    // Mix PLR 14 dB (−18 LUFS, −4 dBTP), reference PLR 8 dB.
    const open = analysisOf({ plrDb: 14, truePeakDbtp: FIXTURE_LOUDNESS_LUFS + 14 });
    const dense = analysisOf({ plrDb: 8, truePeakDbtp: FIXTURE_LOUDNESS_LUFS + 8 });

    it.each([
      { densityPercent: 100, peakToLoudnessDb: 8 },
      { densityPercent: 50, peakToLoudnessDb: 11 },
    ])(
      'holds PLR $peakToLoudnessDb dB at density $densityPercent %',
      ({ densityPercent, peakToLoudnessDb }) => {
        const plan = decide(open, DEFAULT_TARGET, { reference: dense, amounts: { densityPercent } });
        expectWithin(plan.limiter.peakToLoudnessDb!, peakToLoudnessDb, PLAN_ROUNDING_DB, 'limiter PLR (dB)');
        expect(plan.limiter.ceilingDbtp).toBe(DEFAULT_TARGET.truePeakCeilingDbtp);
        expect(plan.limiter.reason).toMatch(/peaks held at/);
      },
    );

    it('compresses first when the density takes more than 4 dB of limiting', () => {
      // 6 dB of PLR to lose at 100 %, 3 dB at 50 %.
      expect(decide(open, DEFAULT_TARGET, { reference: dense }).compressor).not.toBeNull();
      expect(
        decide(open, DEFAULT_TARGET, { reference: dense, amounts: { densityPercent: 50 } }).compressor,
      ).toBeNull();
    });

    it('does not expand: a reference more open than the mix holds no density', () => {
      const airy = analysisOf({ plrDb: 16, truePeakDbtp: FIXTURE_LOUDNESS_LUFS + 16 });
      const plan = decide(open, DEFAULT_TARGET, { reference: airy });
      expect(plan.limiter.peakToLoudnessDb).toBeNull();
      expect(plan.compressor).toBeNull();
      expect(plan.notes.join('\n')).toMatch(/does not expand/);
    });
  });

  it('does nothing but gain and the limiter at amounts 0 %, however different the reference', () => {
    // The reference differs in tone, width and density.
    const reference = analysisOf({
      plrDb: 8,
      truePeakDbtp: FIXTURE_LOUDNESS_LUFS + 8,
      midSide: shiftedMidSide(mix.midSide, { mid: (hz) => (hz < 150 ? 4 : 0), side: () => 6 }),
    });
    const open = analysisOf({ plrDb: 14, truePeakDbtp: FIXTURE_LOUDNESS_LUFS + 14 });
    const full = decide(open, DEFAULT_TARGET, { reference });
    expect([full.matchEq, full.width, full.compressor, full.limiter.peakToLoudnessDb]).not.toContain(null);

    const zero = { tonePercent: 0, widthPercent: 0, densityPercent: 0 };
    const plan = decide(open, DEFAULT_TARGET, { reference, amounts: zero });
    expect(plan).toMatchObject({
      amounts: zero,
      highPass: null,
      eq: [],
      matchEq: null,
      width: null,
      monoBass: null,
      compressor: null,
      limiter: { peakToLoudnessDb: null, ceilingDbtp: -1 },
    });
    expect(eqCurves(plan)).toBeNull();
    expectWithin(plan.gain.gainDb, -14 - FIXTURE_LOUDNESS_LUFS, PLAN_ROUNDING_DB, 'gain (dB)');
  });

  it('refuses a silent or too short reference and an amount outside 0 … 100', () => {
    expect(() =>
      decide(mix, DEFAULT_TARGET, { reference: analysisOf({ integratedLufs: Number.NEGATIVE_INFINITY }) }),
    ).toThrow(expect.objectContaining({ code: 'ENGINE_SILENT_INPUT' }));
    expect(() => decide(mix, DEFAULT_TARGET, { reference: analysisOf({ durationSeconds: 0.2 }) })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INPUT_TOO_SHORT' }),
    );
    for (const amounts of [
      { tonePercent: 120 },
      { widthPercent: 120 },
      { densityPercent: 120 },
      { tonePercent: -1 },
      { densityPercent: Number.NaN },
    ]) {
      expect(() => decide(mix, DEFAULT_TARGET, { reference: mix, amounts })).toThrow(invalidOption);
    }
  });
});

describe('decide: input it cannot master', () => {
  it('refuses silence and sub-400 ms input with their codes', () => {
    expect(() => decide(analysisOf({ integratedLufs: Number.NEGATIVE_INFINITY }), DEFAULT_TARGET)).toThrow(
      expect.objectContaining({ code: 'ENGINE_SILENT_INPUT' }),
    );
    expect(() => decide(analysisOf({ durationSeconds: 0.2 }), DEFAULT_TARGET)).toThrow(
      expect.objectContaining({ code: 'ENGINE_INPUT_TOO_SHORT' }),
    );
  });

  it('refuses a DC offset alone as silence, but masters a signal riding on one', () => {
    // A constant 0.5: mean square 0.25 = DC², though its first block passes the loudness gate.
    const dcOnly = analysisOf({
      integratedLufs: -32.3,
      rmsDbfs: 10 * Math.log10(0.25),
      dcOffsetLinear: [0.5, 0.5],
    });
    expect(() => decide(dcOnly, DEFAULT_TARGET)).toThrow(
      expect.objectContaining({ code: 'ENGINE_SILENT_INPUT' }),
    );
    const sineOnDc = analysisOf({ rmsDbfs: 10 * Math.log10(0.25 + 0.005), dcOffsetLinear: [0.5, 0.5] });
    expect(decide(sineOnDc, DEFAULT_TARGET).target).toEqual(DEFAULT_TARGET);
  });
});
