import { LacquerError } from '@lacquer/errors';

/** The most jobs one page of {@link JobReadModel.list} holds. */
export const MAX_JOB_PAGE_LIMIT = 100;

/** A validated `list` request: how many jobs, and the job id the page starts below. */
export interface JobPageRequest {
  readonly limit: number;
  /** Only jobs with a smaller id (older jobs) belong on the page; `null` for the first page. */
  readonly beforeJobId: string | null;
}

/** The opaque cursor of the page after the one that ends with `lastJobId` (base64url). */
export function encodeJobPageCursor(lastJobId: string): string {
  return Buffer.from(lastJobId, 'utf8').toString('base64url');
}

const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * Checks `list` options: `limit` an integer 1 … {@link MAX_JOB_PAGE_LIMIT}, `cursor` one
 * this module encoded.
 *
 * @throws LacquerError `REQUEST_INVALID` for a limit out of range or a cursor that is not one.
 */
export function parseJobPageRequest(options: {
  readonly limit: number;
  readonly cursor?: string;
}): JobPageRequest {
  const { limit, cursor } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_JOB_PAGE_LIMIT) {
    throw new LacquerError('REQUEST_INVALID', `limit must be an integer 1 … ${MAX_JOB_PAGE_LIMIT}`, {
      details: { limit },
    });
  }
  if (cursor === undefined) return { limit, beforeJobId: null };
  const beforeJobId = CURSOR.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (beforeJobId === '' || encodeJobPageCursor(beforeJobId) !== cursor) {
    throw new LacquerError('REQUEST_INVALID', 'the cursor is not one a job list returned', {
      details: { cursor },
    });
  }
  return { limit, beforeJobId };
}
