import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveLinearSystem } from './solve-linear-system.ts';

// Diagonally dominant systems of at most 6 unknowns have condition numbers under about 10:
// Gaussian elimination in float64 is accurate to a few ulps times that.
const SOLUTION_TOLERANCE = 1e-9;

function product(a: readonly (readonly number[])[], x: readonly number[]): number[] {
  return a.map((row) => row.reduce((sum, value, k) => sum + value * x[k]!, 0));
}

describe('solveLinearSystem', () => {
  it('solves a known 3×3 system', () => {
    // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3: x = 2, y = 3, z = −1.
    const x = solveLinearSystem(
      [
        [2, 1, -1],
        [-3, -1, 2],
        [-2, 1, 2],
      ],
      [8, -11, -3],
    );
    [2, 3, -1].forEach((expected, i) => {
      expect(Math.abs(x[i]! - expected)).toBeLessThan(SOLUTION_TOLERANCE);
    });
  });

  it('pivots past a zero on the diagonal', () => {
    const x = solveLinearSystem(
      [
        [0, 1],
        [1, 0],
      ],
      [5, 7],
    );
    expect(x).toEqual([7, 5]);
  });

  it('leaves its arguments unchanged', () => {
    const a = [
      [1e-3, 2],
      [3, 4],
    ];
    const b = [1, 2];
    solveLinearSystem(a, b);
    expect(a).toEqual([
      [1e-3, 2],
      [3, 4],
    ]);
    expect(b).toEqual([1, 2]);
  });

  it('throws RangeError for a singular matrix', () => {
    expect(() =>
      solveLinearSystem(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toThrow(RangeError);
  });

  it('property: recovers x from A·x for diagonally dominant A', () => {
    const system = fc.integer({ min: 1, max: 6 }).chain((n) =>
      fc.record({
        a: fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }), {
          minLength: n,
          maxLength: n,
        }),
        x: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
        diagonalSigns: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(system, ({ a, x, diagonalSigns }) => {
        // Each diagonal entry outweighs the rest of its row: nonsingular, well conditioned.
        const dominant = a.map((row, i) =>
          row.map((value, k) => (k === i ? (diagonalSigns[i] ? 1 : -1) * (a.length + 1) : value)),
        );
        const solved = solveLinearSystem(dominant, product(dominant, x));
        solved.forEach((value, i) => {
          expect(Math.abs(value - x[i]!)).toBeLessThan(SOLUTION_TOLERANCE * (1 + Math.abs(x[i]!)));
        });
      }),
    );
  });
});
