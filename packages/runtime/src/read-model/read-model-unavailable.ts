import { isLacquerError, LacquerError } from '@lacquer/errors';

/**
 * The error of a read-model store that failed or did not answer in time: a
 * `READ_MODEL_UNAVAILABLE` LacquerError (retryable) with the store's error as `cause`.
 * A LacquerError passes through as it is.
 */
export function readModelUnavailable(
  operation: string,
  cause: unknown,
  details: Readonly<Record<string, unknown>> = {},
): LacquerError {
  if (isLacquerError(cause)) return cause;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new LacquerError('READ_MODEL_UNAVAILABLE', `the job read model failed to ${operation} (${reason})`, {
    cause,
    details: { operation, ...details },
  });
}

/**
 * Runs one store call, turning whatever it throws into {@link readModelUnavailable}.
 * Only store calls go in here, never caller code (an error of an `update` change function
 * reaches the caller unchanged).
 */
export async function guardStoreCall<T>(
  operation: string,
  call: () => Promise<T>,
  details: Readonly<Record<string, unknown>> = {},
): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw readModelUnavailable(operation, cause, details);
  }
}
