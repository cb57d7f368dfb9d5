import { isSubjectToken } from '@lacquer/contracts';

/**
 * True when both ids are subject tokens (letters, digits, `-`, `_`; 1 … 128 characters), the
 * only ids a job view can be stored under. An id that is not one cannot have a view, so
 * reads answer "not found" for it.
 */
export function areJobViewIds(tenantId: string, jobId: string): boolean {
  return isSubjectToken(tenantId) && isSubjectToken(jobId);
}

/**
 * Throws unless `tenantId` (and `jobId`, when given) are subject tokens: a view or claim of
 * such ids comes from an event or request that skipped validation, a defect of the caller.
 *
 * @throws TypeError naming the id that is not a token.
 */
export function assertJobViewIds(tenantId: string, jobId?: string): void {
  if (!isSubjectToken(tenantId)) throw new TypeError(`tenant id "${tenantId}" is not a subject token`);
  if (jobId !== undefined && !isSubjectToken(jobId)) {
    throw new TypeError(`job id "${jobId}" is not a subject token`);
  }
}
