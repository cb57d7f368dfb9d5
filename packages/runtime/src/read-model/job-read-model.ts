import type { JobView } from '../jobs/job-view.ts';

/** One page of jobs, newest first (a tenant's, or the failed jobs of every tenant). */
export interface JobPage {
  readonly jobs: readonly JobView[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  readonly nextCursor: string | null;
}

/** What an `Idempotency-Key` was first used for. */
export interface IdempotencyClaim {
  readonly jobId: string;
  /** SHA-256 (hex) of the request that first used the key. */
  readonly requestHash: string;
}

/**
 * The port of the jobs read model: job views for the API, a projection of the event log
 * (rebuildable by replay). Views are keyed by tenant and job id, so a tenant can never read
 * another's job: `get` with the wrong tenant finds nothing.
 *
 * Job ids are UUIDv7 (time-ordered), so "newest first" is descending job id.
 * Errors are LacquerErrors: `READ_MODEL_UNAVAILABLE` (retryable) when the store fails.
 */
export interface JobReadModel {
  get(tenantId: string, jobId: string): Promise<JobView | null>;
  /** Stores `view` if the job has none yet; `false` (and no change) when it has one. */
  create(view: JobView): Promise<boolean>;
  /**
   * Replaces a job's view with `change(current)` under optimistic concurrency, retrying on
   * a concurrent write; `change` returning `null` leaves the store as it is.
   * @returns what is stored afterwards.
   */
  update(
    tenantId: string,
    jobId: string,
    change: (current: JobView | null) => JobView | null,
  ): Promise<JobView | null>;
  /** A tenant's jobs, newest first; `limit` 1 … 100. */
  list(tenantId: string, options: { readonly limit: number; readonly cursor?: string }): Promise<JobPage>;
  /**
   * How many of a tenant's jobs are `queued` or `processing` now (0 for an id that is not a
   * subject token): what the per-tenant jobs-in-flight limit is checked against.
   */
  countInFlight(tenantId: string): Promise<number>;
  /**
   * The `failed` jobs of every tenant, newest first (descending job id), for operators; `limit`
   * 1 … 100. A job that was retried (queued again) leaves the list.
   */
  listFailed(options: { readonly limit: number; readonly cursor?: string }): Promise<JobPage>;
  /**
   * Records that `key` of `tenantId` created `claim.jobId`, atomically.
   * @returns `null` when this call recorded it; the earlier claim when the key was used before.
   */
  claimIdempotencyKey(
    tenantId: string,
    key: string,
    claim: IdempotencyClaim,
  ): Promise<IdempotencyClaim | null>;
  /** Removes every job view (idempotency claims stay), before a rebuild by replay. */
  clearViews(): Promise<void>;
}
