import type { ErrorCode, LacquerError } from '@lacquer/errors';
import { isLacquerError } from '@lacquer/errors';
import { expect } from 'vitest';

/**
 * Awaits `work` and asserts it fails with a {@link LacquerError} of `code` (the code, never
 * the message: STYLE.md); returns the error for checks on its details. Test helper.
 */
export async function expectLacquerError(work: Promise<unknown> | (() => Promise<unknown>), code: ErrorCode) {
  let caught: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected LacquerError ${code}`).toBeDefined();
  expect(isLacquerError(caught) ? caught.code : caught).toBe(code);
  return caught as LacquerError;
}
