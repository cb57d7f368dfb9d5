import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.ts';

/** The smallest and (just below) the largest value of a uniform random number in [0, 1). */
const LOWEST = { random: () => 0 };
const HIGHEST = { random: () => 0.999 };

describe('retryDelayMs', () => {
  it('waits between half of and the whole 1 s base before the second attempt', () => {
    expect([retryDelayMs(1, LOWEST), retryDelayMs(1, HIGHEST)]).toEqual([500, 1000]);
  });

  it('doubles the window with every failed attempt', () => {
    const attempts = [1, 2, 3, 4, 5];

    expect(attempts.map((attempt) => retryDelayMs(attempt, LOWEST))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(attempts.map((attempt) => retryDelayMs(attempt, HIGHEST))).toEqual([
      1000, 1999, 3998, 7996, 15992,
    ]);
  });

  it('stays within [window / 2, window] for any random number', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const windowMs = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      for (const random of [0, 0.25, 0.5, 0.75, 0.999]) {
        const delayMs = retryDelayMs(attempt, { random: () => random });
        expect(delayMs).toBeGreaterThanOrEqual(windowMs / 2);
        expect(delayMs).toBeLessThanOrEqual(windowMs);
      }
    }
  });

  it('caps the window at maxMs (default 60 s), however many attempts failed', () => {
    const attempts = [7, 8, 30, 2000];

    expect(attempts.map((attempt) => retryDelayMs(attempt, LOWEST))).toEqual([
      30_000, 30_000, 30_000, 30_000,
    ]);
    expect(attempts.map((attempt) => retryDelayMs(attempt, HIGHEST))).toEqual([
      59_970, 59_970, 59_970, 59_970,
    ]);
  });

  it('takes baseMs and maxMs', () => {
    const options = { baseMs: 100, maxMs: 350 };

    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, { ...options, ...LOWEST }))).toEqual([
      50, 100, 175, 175,
    ]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, { ...options, ...HIGHEST }))).toEqual([
      100, 200, 350, 350,
    ]);
  });

  it('treats an attempt below 1 as the first', () => {
    expect([retryDelayMs(0, LOWEST), retryDelayMs(-3, LOWEST)]).toEqual([500, 500]);
  });

  it('is a whole number of milliseconds', () => {
    expect(Number.isInteger(retryDelayMs(3, { baseMs: 333, random: () => 0.123 }))).toBe(true);
  });
});
