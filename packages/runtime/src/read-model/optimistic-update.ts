import { setTimeout as sleep } from 'node:timers/promises';
import { LacquerError } from '@lacquer/errors';
import type { JobView } from '../jobs/job-view.ts';

/** A stored view and the store's version of it (`revision` 0: nothing is stored). */
export interface VersionedJobView {
  readonly view: JobView | null;
  readonly revision: number;
}

/** The two store calls of a compare-and-set update. */
export interface CompareAndSet {
  read(): Promise<VersionedJobView>;
  /** Stores `next` if the store is still at `current.revision`; `false` when it moved on. */
  write(next: JobView, current: VersionedJobView): Promise<boolean>;
}

/** How {@link updateOptimistically} retries. */
export interface OptimisticUpdateOptions {
  /** Reads and writes tried before giving up, ≥ 1. */
  readonly maxAttempts: number;
  /** Upper bound of the random pause after the n-th conflict: `min(2^n, maxBackoffMs)` ms. */
  readonly maxBackoffMs: number;
  /** Facts for the error (`tenantId`, `jobId`). */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Read → `change` → compare-and-set, again after a short random pause while another writer
 * got in first. `change` returning `null` writes nothing and returns what is stored; a
 * `change` that throws ends the update with its error.
 *
 * @returns the view stored afterwards.
 * @throws LacquerError `READ_MODEL_UNAVAILABLE` (retryable) after `maxAttempts` conflicts,
 *   or when a store call fails.
 * @throws TypeError when `change` returns a view of another tenant or job.
 */
export async function updateOptimistically(
  store: CompareAndSet,
  change: (current: JobView | null) => JobView | null,
  expected: { readonly tenantId: string; readonly jobId: string },
  options: OptimisticUpdateOptions,
): Promise<JobView | null> {
  for (let attempt = 1; attempt <= options.maxAttempts; attempt += 1) {
    const current = await store.read();
    const next = change(current.view);
    if (next === null) return current.view;
    if (next.tenantId !== expected.tenantId || next.jobId !== expected.jobId) {
      throw new TypeError(
        `an update of job ${expected.tenantId}/${expected.jobId} returned the view of ${next.tenantId}/${next.jobId}`,
      );
    }
    if (await store.write(next, current)) return next;
    await sleep(Math.random() * Math.min(2 ** attempt, options.maxBackoffMs));
  }
  throw new LacquerError(
    'READ_MODEL_UNAVAILABLE',
    `a job view update gave up after ${options.maxAttempts} conflicting writes`,
    { details: { ...options.details, attempts: options.maxAttempts } },
  );
}

/**
 * Runs an insert-if-absent `write`: `true` when it stored, `false` when `isTaken` says the
 * key was already there (a conflict both adapters expect), and any other error as it is.
 */
export function insertUnlessTaken(
  write: () => Promise<unknown>,
  isTaken: (error: unknown) => boolean,
): Promise<boolean> {
  return write().then(
    () => true,
    (error: unknown) => {
      if (isTaken(error)) return false;
      throw error;
    },
  );
}
