import { expect } from 'vitest';

/**
 * Asserts `|actual − expected| ≤ tolerance` with a message naming all three. Use with a
 * named, sourced tolerance constant (STYLE.md); never `toBeCloseTo` on DSP output.
 */
export function expectWithin(actual: number, expected: number, tolerance: number, what = 'value'): void {
  const ok = Number.isFinite(actual) && Math.abs(actual - expected) <= tolerance + 1e-12;
  expect(ok, `${what}: ${actual} not within ±${tolerance} of ${expected}`).toBe(true);
}
