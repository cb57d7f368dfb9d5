/** Options of {@link retryDelayMs}. */
export interface RetryDelayOptions {
  /** Delay before the second attempt, ms (default 1000). */
  readonly baseMs?: number;
  /** Upper bound, ms (default 60 000). */
  readonly maxMs?: number;
  /** A uniform random number in [0, 1), for jitter (default `Math.random`). */
  readonly random?: () => number;
}

/**
 * How long to wait before redelivering after failed attempt `attempt` (1-based):
 * exponential backoff with "equal jitter" (half fixed, half random), so that workers that
 * failed together do not retry together (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", 2015).
 */
export function retryDelayMs(attempt: number, options: RetryDelayOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
