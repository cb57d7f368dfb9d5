import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  decodeJobEvent,
  JOBS_STREAM_NAME,
  type JobEvent,
  JobFailedSchema,
  JobStep,
  jobEventContext,
} from '@lacquer/contracts';
import { isLacquerError } from '@lacquer/errors';
import { type NatsServer, startNatsServer, waitFor } from '@lacquer/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../messaging/connect-nats.ts';
import { createJobEventFeed } from '../messaging/jetstream-job-event-feed.ts';
import { createJobEventPublisher } from '../messaging/job-event-publisher.ts';
import {
  PROJECTOR_CONSUMER_POLICY,
  provisionConsumer,
  provisionJobsStream,
} from '../messaging/provision-streams.ts';
import type { RunningConsumer } from '../messaging/pull-loop.ts';
import type { JobReadModel } from '../read-model/job-read-model.ts';
import { createKvJobReadModel } from '../read-model/kv-job-read-model.ts';
import { provisionKvJobReadModel } from '../read-model/kv-job-read-model-bucket.ts';
import { completedJobEvents, type JobFixture } from '../read-model/test-support/job-view-fixtures.ts';
import type { JobView } from './job-view.ts';
import { startJobViewProjector } from './job-view-projector.ts';
import { retryFailedJob } from './retry-failed-job.ts';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const bucket = `jobs-${randomUUID()}`;

let nats: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let readModel: JobReadModel;
let projector: RunningConsumer;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectNats(nats.url, 'retry-test');
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  await provisionJobsStream(jsm);
  await provisionConsumer(jsm, 'projector', PROJECTOR_CONSUMER_POLICY);
  await provisionKvJobReadModel(nc, { bucket });
  readModel = createKvJobReadModel(nc, { bucket });
  projector = startJobViewProjector({ js, readModel, log });
});
afterAll(async () => {
  await projector.stop();
  await nc.close();
  await nats.close();
});

const newJob = (): JobFixture => ({
  tenantId: `tenant-${randomUUID()}`,
  jobId: `job-${randomUUID()}`,
  requestedAt: new Date('2026-11-21T12:00:00Z'),
});
const ports = () => ({ jsm, publisher: createJobEventPublisher(js), readModel });

/** Publishes the job's events (each with its own message id) and waits for its view to show `status`. */
async function publishJob(
  job: JobFixture,
  events: readonly JobEvent[],
  status: JobView['status'],
): Promise<void> {
  const publisher = createJobEventPublisher(js);
  for (const [index, event] of events.entries())
    await publisher.publish(event, { messageId: `${job.jobId}:${index}` });
  await viewWith(job, (view) => view.status === status);
}

async function viewWith(job: JobFixture, done: (view: JobView) => boolean): Promise<JobView> {
  return waitFor(
    async () => {
      const view = await readModel.get(job.tenantId, job.jobId);
      return view && done(view) ? view : undefined;
    },
    { what: `the view of ${job.jobId}` },
  );
}

/** A job that was analyzed, then failed to decide. */
function failedAtDecide(job: JobFixture): JobEvent[] {
  const [requested, analyzed] = completedJobEvents(job).filter((event) =>
    ['JobRequested', 'TrackAnalyzed'].includes(event.type),
  );
  if (!(requested && analyzed)) throw new Error('the fixture has a request and an analysis');
  return [
    requested,
    analyzed,
    {
      type: 'JobFailed',
      data: create(JobFailedSchema, {
        context: jobEventContext(job.jobId, job.tenantId, new Date('2026-11-21T12:00:05Z')),
        step: JobStep.DECIDE,
        errorCode: 'STEP_ATTEMPTS_EXHAUSTED',
        attempts: 5,
      }),
    },
  ];
}

/** The job's events in the log, by type. */
async function typesInLog(jobId: string): Promise<string[]> {
  const { state } = await jsm.streams.info(JOBS_STREAM_NAME);
  const controller = new AbortController();
  const types: string[] = [];
  for await (const { event, sequence } of createJobEventFeed(js).follow(jobId, controller.signal)) {
    types.push(event.type);
    if (sequence >= state.last_seq) break;
  }
  controller.abort();
  return types;
}

describe('retryFailedJob', () => {
  it('publishes JobRetried and the failed step input again; the view is no longer failed', async () => {
    const job = newJob();
    const events = failedAtDecide(job);
    await publishJob(job, events, 'failed');
    const retry = await retryFailedJob(ports(), job.jobId);
    expect(retry).toEqual({ jobId: job.jobId, tenantId: job.tenantId, step: 'decide', retry: 1 });
    const view = await viewWith(job, (candidate) => candidate.retries === 1);
    expect([view.status, view.currentStep, view.retries, view.error, view.lastError?.code]).toEqual([
      'processing',
      'decide',
      1,
      null,
      'STEP_ATTEMPTS_EXHAUSTED',
    ]);
    expect(await typesInLog(job.jobId)).toEqual([
      'JobRequested',
      'TrackAnalyzed',
      'JobFailed',
      'JobRetried',
      'TrackAnalyzed',
    ]);
    const stored = await jsm.streams.getMessage(JOBS_STREAM_NAME, {
      last_by_subj: `lacquer.job.analyzed.${job.jobId}`,
    });
    expect(stored && decodeJobEvent('TrackAnalyzed', stored.data)).toEqual(events[1]);
  });

  it('refuses a job that is not failed (JOB_NOT_FAILED) and one that does not exist (JOB_NOT_FOUND)', async () => {
    const job = newJob();
    await publishJob(job, completedJobEvents(job), 'completed');
    const codeOf = (jobId: string) =>
      retryFailedJob(ports(), jobId).then(
        () => 'retried',
        (error: unknown) => (isLacquerError(error) ? error.code : String(error)),
      );
    expect(await codeOf(job.jobId)).toBe('JOB_NOT_FAILED');
    expect(await codeOf(`job-${randomUUID()}`)).toBe('JOB_NOT_FOUND');
    expect(await codeOf('../../etc/passwd')).toBe('JOB_NOT_FOUND');
  });
});
