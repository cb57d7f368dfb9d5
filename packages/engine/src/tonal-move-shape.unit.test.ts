import { expectWithin } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { tonalMoveShapeDb } from './tonal-move-shape.ts';

// Closed-form values: only float64 round-off.
const EXACT = 1e-12;
// The shelves' steepness (tonal-move-shape.ts): 10 % to 90 % of the gain in ln(9)/2 ≈ 1.1 octaves.
const TEN_TO_NINETY_OCTAVES = Math.log(9) / 2;

describe('tonalMoveShapeDb', () => {
  it.each([100, 8000])('gives half of a shelf at its corner (%d Hz)', (cornerHz) => {
    expectWithin(tonalMoveShapeDb('lowShelf', cornerHz, cornerHz), 0.5, EXACT, 'low shelf');
    expectWithin(tonalMoveShapeDb('highShelf', cornerHz, cornerHz), 0.5, EXACT, 'high shelf');
  });

  it('tends to the whole gain on the shelf and to nothing past it', () => {
    expectWithin(tonalMoveShapeDb('lowShelf', 100, 10), 1, 1e-5, 'low shelf at 10 Hz');
    expectWithin(tonalMoveShapeDb('lowShelf', 100, 0), 1, EXACT, 'low shelf at DC');
    expectWithin(tonalMoveShapeDb('lowShelf', 100, 10_000), 0, 1e-10, 'low shelf at 10 kHz');
    expectWithin(tonalMoveShapeDb('highShelf', 8000, 80), 0, 1e-10, 'high shelf at 80 Hz');
    expectWithin(tonalMoveShapeDb('highShelf', 8000, 24_000), 1, 2e-3, 'high shelf at 24 kHz');
  });

  it('goes from 10 % to 90 % of a shelf in 1.1 octaves about the corner, monotonically', () => {
    const half = TEN_TO_NINETY_OCTAVES / 2;
    expectWithin(tonalMoveShapeDb('lowShelf', 100, 100 * 2 ** -half), 0.9, EXACT, 'low shelf, below');
    expectWithin(tonalMoveShapeDb('lowShelf', 100, 100 * 2 ** half), 0.1, EXACT, 'low shelf, above');
    expectWithin(tonalMoveShapeDb('highShelf', 8000, 8000 * 2 ** half), 0.9, EXACT, 'high shelf, above');
    let previous = Number.POSITIVE_INFINITY;
    for (let hz = 10; hz < 20_000; hz *= 1.05) {
      const share = tonalMoveShapeDb('lowShelf', 100, hz);
      expect(share).toBeLessThanOrEqual(previous);
      // A low and a high shelf at the same corner add up to a flat line.
      expectWithin(share + tonalMoveShapeDb('highShelf', 100, hz), 1, EXACT, `shelves at ${hz} Hz`);
      previous = share;
    }
  });

  it('gives the tilt as octaves from its pivot', () => {
    expectWithin(tonalMoveShapeDb('tilt', 1000, 1000), 0, EXACT, 'tilt at the pivot');
    expectWithin(tonalMoveShapeDb('tilt', 1000, 2000), 1, EXACT, 'tilt an octave up');
    expectWithin(tonalMoveShapeDb('tilt', 1000, 125), -3, EXACT, 'tilt three octaves down');
  });

  it('holds the tilt beyond the curves’ bands, 31.5 Hz … 16 kHz', () => {
    const lowest = Math.log2(31.5 / 1000);
    for (const hz of [31.5, 20, 5, 0]) {
      expectWithin(tonalMoveShapeDb('tilt', 1000, hz), lowest, EXACT, `tilt at ${hz} Hz`);
    }
    for (const hz of [16_000, 18_000, 24_000]) {
      expectWithin(tonalMoveShapeDb('tilt', 1000, hz), 4, EXACT, `tilt at ${hz} Hz`);
    }
    // Inside, it is not held.
    expect(tonalMoveShapeDb('tilt', 1000, 32)).toBeGreaterThan(lowest);
    expect(tonalMoveShapeDb('tilt', 1000, 15_000)).toBeLessThan(4);
  });
});
