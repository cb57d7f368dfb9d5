import type { JobStatus, JobView } from '../jobs/job-view.ts';

/** The statuses of a job in flight: it counts against its tenant's jobs-in-flight limit. */
export const IN_FLIGHT_STATUSES: readonly JobStatus[] = ['queued', 'processing'];

/** True while the job is `queued` or `processing`. */
export function isInFlight(view: Pick<JobView, 'status'>): boolean {
  return IN_FLIGHT_STATUSES.includes(view.status);
}
