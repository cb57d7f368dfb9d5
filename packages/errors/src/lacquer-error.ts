import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

/** Optional context of a {@link LacquerError}. */
export interface LacquerErrorOptions {
  /** The underlying error, kept for logs. */
  readonly cause?: unknown;
  /** Machine-readable facts about the failure (e.g. `{ durationSeconds: 7200 }`). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error base of Lacquer. Callers branch on `code` (stable, see {@link ERROR_CODES}),
 * never on the message or on subclasses.
 */
export class LacquerError extends Error {
  override readonly name = 'LacquerError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: LacquerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = ERROR_CODES[code].retryable;
    this.details = options.details ?? {};
  }
}

/** True when `error` is a {@link LacquerError}, optionally with the given code. */
export function isLacquerError(error: unknown, code?: ErrorCode): error is LacquerError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'LacquerError' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (code === undefined || (error as { code: string }).code === code)
  );
}
