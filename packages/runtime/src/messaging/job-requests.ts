import { decodeJobEvent, JOBS_STREAM_NAME, type JobRequested, jobEventSubject } from '@lacquer/contracts';
import { LacquerError } from '@lacquer/errors';
import type { JetStreamManager } from '@nats-io/jetstream';
import { natsCall } from './nats-call.ts';

/**
 * Reads a job's JobRequested from the event log (the last message on
 * `lacquer.job.requested.<jobId>`): what later steps need of the request (target, uploads)
 * comes from the log, not from copies carried along in every event.
 *
 * @throws LacquerError `EVENT_INVALID` when the log has no request for the job;
 *   `NATS_UNAVAILABLE` (retryable) when JetStream does not answer.
 */
export async function readJobRequest(jsm: JetStreamManager, jobId: string): Promise<JobRequested> {
  const stored = await natsCall(`read the request of job ${jobId}`, () =>
    jsm.streams.getMessage(JOBS_STREAM_NAME, { last_by_subj: jobEventSubject('JobRequested', jobId) }),
  );
  if (!stored) {
    throw new LacquerError('EVENT_INVALID', `job ${jobId} has no JobRequested event`, { details: { jobId } });
  }
  const event = decodeJobEvent('JobRequested', stored.data);
  if (event.type !== 'JobRequested') throw new LacquerError('EVENT_INVALID', 'not a JobRequested event');
  return event.data;
}
