import { create } from '@bufbuild/protobuf';
import {
  decodeJobEvent,
  EVENT_HEADERS,
  isSubjectToken,
  JOBS_STREAM_NAME,
  JobRetriedSchema,
  JobStep,
  jobEventContext,
  jobEventMessageId,
  jobEventSubject,
  pipelineStep,
} from '@lacquer/contracts';
import { isLacquerError, LacquerError } from '@lacquer/errors';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { JobEventPublisher } from '../messaging/job-event-ports.ts';
import { readJobRequest } from '../messaging/job-requests.ts';
import { natsCall } from '../messaging/nats-call.ts';
import { lastSequenceOn } from '../messaging/step-outputs.ts';
import type { JobReadModel } from '../read-model/job-read-model.ts';
import type { JobStepName, JobView } from './job-view.ts';

/** What an operator's retry needs. */
export interface RetryPorts {
  readonly jsm: JetStreamManager;
  readonly publisher: JobEventPublisher;
  readonly readModel: JobReadModel;
  readonly now?: () => Date;
}

/** A retry that was published. */
export interface JobRetry {
  readonly jobId: string;
  readonly tenantId: string;
  /** The step that runs again. */
  readonly step: JobStepName;
  /** 1 for the job's first retry. */
  readonly retry: number;
}

const STEPS_BY_NAME: Partial<Record<JobStepName, JobStep>> = {
  analyze: JobStep.ANALYZE,
  decide: JobStep.DECIDE,
  master: JobStep.MASTER,
};

/**
 * Retries a failed job from the step that failed: publishes JobRetried (the view goes back to
 * `queued`), then the step's input event again, so its worker runs it as new work (a
 * retried step's outputs are published once per input event, see `publishStepOutput`). The
 * job's tenant is read from its JobRequested, so an operator names only the job.
 * Two retries racing publish one: JobRetried is guarded by the last sequence on its subject.
 *
 * @throws LacquerError `JOB_NOT_FOUND` when the log or the read model has no such job;
 *   `JOB_NOT_FAILED` (409) when it is not failed; `NATS_UNAVAILABLE`,
 *   `READ_MODEL_UNAVAILABLE` (retryable).
 */
export async function retryFailedJob(ports: RetryPorts, jobId: string): Promise<JobRetry> {
  const tenantId = await tenantOfJob(ports.jsm, jobId);
  const view = tenantId ? await ports.readModel.get(tenantId, jobId) : null;
  if (!(tenantId && view)) throw new LacquerError('JOB_NOT_FOUND', `no job ${jobId}`, { details: { jobId } });
  if (view.status !== 'failed') {
    throw new LacquerError(
      'JOB_NOT_FAILED',
      `job ${jobId} is ${view.status}; only a failed job can be retried`,
      {
        details: { jobId, status: view.status },
      },
    );
  }
  const step = failedStep(view);
  const { input } = pipelineStep(step);
  const stored = await natsCall(`read the ${input} of job ${jobId}`, () =>
    ports.jsm.streams.getMessage(JOBS_STREAM_NAME, { last_by_subj: jobEventSubject(input, jobId) }),
  );
  if (!stored) throw new LacquerError('JOB_NOT_FOUND', `job ${jobId} has no ${input} to retry from`);
  const retry = view.retries + 1;
  const now = ports.now ?? (() => new Date());
  const traceparent = stored.header.get(EVENT_HEADERS.traceparent) || undefined;
  await ports.publisher.publish(
    {
      type: 'JobRetried',
      data: create(JobRetriedSchema, { context: jobEventContext(jobId, tenantId, now()), step, retry }),
    },
    {
      messageId: jobEventMessageId('JobRetried', jobId, String(retry)),
      expectLastSubjectSequence: await lastSequenceOn(ports.jsm, jobEventSubject('JobRetried', jobId)),
      ...(traceparent ? { traceparent } : {}),
    },
  );
  await ports.publisher.publish(decodeJobEvent(input, stored.data), {
    messageId: jobEventMessageId(input, jobId, `retry-${retry}`),
    ...(traceparent ? { traceparent } : {}),
  });
  return { jobId, tenantId, step: view.error?.step ?? 'analyze', retry };
}

/** The step a failed view failed at; a failure before any step counts as the first. */
function failedStep(view: JobView): JobStep {
  return (view.error && STEPS_BY_NAME[view.error.step]) ?? JobStep.ANALYZE;
}

/** The tenant of `jobId` from its JobRequested; `null` when the log has no such job. */
async function tenantOfJob(jsm: JetStreamManager, jobId: string): Promise<string | null> {
  if (!isSubjectToken(jobId)) return null;
  try {
    return (await readJobRequest(jsm, jobId)).context?.tenantId ?? null;
  } catch (error) {
    if (isLacquerError(error, 'EVENT_INVALID')) return null;
    throw error;
  }
}
