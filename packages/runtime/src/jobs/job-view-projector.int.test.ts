import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  EVENT_HEADERS,
  JOBS_STREAM_NAME,
  type JobEvent,
  JobFailedSchema,
  JobStep,
  JobStepStartedSchema,
  jobEventContext,
  jobEventMessageId,
  jobEventSubject,
} from '@lacquer/contracts';
import { type NatsServer, startNatsServer, waitFor } from '@lacquer/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../messaging/connect-nats.ts';
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
import { evolveJobView, type JobView } from './job-view.ts';
import { rebuildJobViews, startJobViewProjector } from './job-view-projector.ts';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const bucket = `jobs-${randomUUID()}`;

let nats: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let readModel: JobReadModel;
let projector: RunningConsumer | undefined;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectNats(nats.url, 'projector-test');
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  await provisionJobsStream(jsm);
  await provisionConsumer(jsm, 'projector', PROJECTOR_CONSUMER_POLICY);
  await provisionKvJobReadModel(nc, { bucket });
  readModel = createKvJobReadModel(nc, { bucket });
  projector = startJobViewProjector({ js, readModel, log });
});

afterAll(async () => {
  await projector?.stop();
  await nc?.close();
  await nats?.close();
});

const newTenant = (): string => `tenant-${randomUUID()}`;
const newJob = (tenantId: string): JobFixture => ({
  tenantId,
  jobId: `job-${randomUUID()}`,
  requestedAt: new Date('2026-03-01T12:00:00Z'),
});

/** A job that was requested and failed to decode on its second analyze attempt. */
function failedJobEvents(job: JobFixture): JobEvent[] {
  const context = (seconds: number) =>
    jobEventContext(job.jobId, job.tenantId, new Date(job.requestedAt.getTime() + seconds * 1000));
  const [requested] = completedJobEvents(job);
  if (!requested) throw new Error('a completed job has a JobRequested event');
  return [
    requested,
    {
      type: 'JobStepStarted',
      data: create(JobStepStartedSchema, { context: context(1), step: JobStep.ANALYZE, attempt: 1 }),
    },
    {
      type: 'JobStepStarted',
      data: create(JobStepStartedSchema, { context: context(2), step: JobStep.ANALYZE, attempt: 2 }),
    },
    {
      type: 'JobFailed',
      data: create(JobFailedSchema, {
        context: context(3),
        step: JobStep.ANALYZE,
        errorCode: 'MEDIA_DECODE_FAILED',
        errorMessage: 'the input is not a WAV file',
        attempts: 2,
      }),
    },
  ];
}

/**
 * The de-duplication id a worker gives `event`: a step start is one fact per step and
 * attempt (as `startJobEventConsumer` qualifies it), every other event one fact per job.
 */
function messageIdOf(event: JobEvent, jobId: string): string {
  return event.type === 'JobStepStarted'
    ? jobEventMessageId(event.type, jobId, `${JobStep[event.data.step]}:${event.data.attempt}`)
    : jobEventMessageId(event.type, jobId);
}

/** A job and the view its published events fold to (at their stream sequences). */
interface PublishedJob extends JobFixture {
  readonly expected: JobView;
}

/**
 * Publishes the histories interleaved (first events of every job, then the second ones …),
 * as jobs run side by side, and folds each job's events at the sequences the stream gave them.
 */
async function publishInterleaved(
  histories: readonly (readonly [JobFixture, readonly JobEvent[]])[],
): Promise<PublishedJob[]> {
  const publisher = createJobEventPublisher(js);
  const views = new Map<string, JobView | null>();
  const longest = Math.max(...histories.map(([, events]) => events.length));
  for (let index = 0; index < longest; index++) {
    for (const [job, events] of histories) {
      const event = events[index];
      if (!event) continue;
      const { sequence, duplicate } = await publisher.publish(event, {
        messageId: messageIdOf(event, job.jobId),
      });
      expect(duplicate).toBe(false);
      views.set(job.jobId, evolveJobView(views.get(job.jobId) ?? null, event, sequence));
    }
  }
  return histories.map(([job]) => {
    const expected = views.get(job.jobId);
    if (!expected) throw new Error(`the events of ${job.jobId} fold to no view`);
    return { ...job, expected };
  });
}

const viewsOf = (jobs: readonly JobFixture[]): Promise<(JobView | null)[]> =>
  Promise.all(jobs.map((job) => readModel.get(job.tenantId, job.jobId)));

/** Waits until every job's view has folded its last published event, and returns the views. */
async function projected(jobs: readonly PublishedJob[], timeoutMs?: number): Promise<(JobView | null)[]> {
  return waitFor(
    async () => {
      const views = await viewsOf(jobs);
      const done = views.every((view, index) => view?.lastSequence === jobs[index]?.expected.lastSequence);
      return done ? views : undefined;
    },
    { what: 'the projector to fold the published events', timeoutMs },
  );
}

describe('startJobViewProjector', () => {
  it('folds every job of every tenant into the view its events give', async () => {
    const [tenantA, tenantB] = [newTenant(), newTenant()];
    const [completedA, failedA, completedB] = [newJob(tenantA), newJob(tenantA), newJob(tenantB)];

    const jobs = await publishInterleaved([
      [completedA, completedJobEvents(completedA)],
      [failedA, failedJobEvents(failedA)],
      [completedB, completedJobEvents(completedB)],
    ]);
    const views = await projected(jobs);

    expect(views).toEqual(jobs.map((job) => job.expected));
    expect(
      views.map((view) => [view?.status, view?.currentStep, view?.progressPercent, view?.error?.code]),
    ).toEqual([
      ['completed', 'done', 100, undefined],
      ['failed', 'analyze', 5, 'MEDIA_DECODE_FAILED'],
      ['completed', 'done', 100, undefined],
    ]);
    expect(await readModel.get(tenantB, completedA.jobId)).toBeNull();
    expect((await readModel.list(tenantA, { limit: 10 })).jobs.map((view) => view.jobId).sort()).toEqual(
      [completedA.jobId, failedA.jobId].sort(),
    );
  });

  it('changes nothing when an event is published again (a duplicate by message id)', async () => {
    const job = newJob(newTenant());
    const events = completedJobEvents(job);
    const [published] = await publishInterleaved([[job, events]]);
    if (!published) throw new Error('one job was published');
    await projected([published]);
    const lastEvent = events.at(-1);
    if (!lastEvent) throw new Error('a completed job has events');

    const again = await createJobEventPublisher(js).publish(lastEvent);
    const sentinel = newJob(newTenant());
    const [after] = await publishInterleaved([[sentinel, completedJobEvents(sentinel).slice(0, 1)]]);
    if (!after) throw new Error('one job was published');
    await projected([after]);

    expect(again).toEqual({ sequence: published.expected.lastSequence, duplicate: true });
    expect(after.expected.lastSequence).toBe(published.expected.lastSequence + 1);
    expect(await readModel.get(job.tenantId, job.jobId)).toEqual(published.expected);
  });

  it('terminates a message that is not a job event and goes on with the next', async () => {
    const terminated: number[] = [];
    const advisories = nc.subscribe(
      `$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.${JOBS_STREAM_NAME}.projector`,
      {
        callback: (_error, message) => {
          terminated.push(message.json<{ stream_seq: number }>().stream_seq);
        },
      },
    );
    await nc.flush();
    const garbage = new TextEncoder().encode('not protobuf');
    const typed = headers();
    typed.set(EVENT_HEADERS.eventType, 'JobRequested');

    const untypedAck = await js.publish(jobEventSubject('JobRequested', 'x'), garbage);
    const typedAck = await js.publish(jobEventSubject('JobRequested', 'x'), garbage, { headers: typed });
    const job = newJob(newTenant());
    const jobs = await publishInterleaved([[job, completedJobEvents(job)]]);
    const views = await projected(jobs);
    await waitFor(() => (terminated.length >= 2 ? true : undefined), { what: 'two terminated advisories' });
    advisories.unsubscribe();

    expect(terminated).toEqual([untypedAck.seq, typedAck.seq]);
    expect(views).toEqual(jobs.map((published) => published.expected));
    expect(await readModel.get(job.tenantId, 'x')).toBeNull();
  });
});

describe('rebuildJobViews', () => {
  it('clears the views, and the running projector folds them again from the log, identical', async () => {
    const [tenantA, tenantB] = [newTenant(), newTenant()];
    const [completedA, failedB] = [newJob(tenantA), newJob(tenantB)];
    const jobs = await publishInterleaved([
      [completedA, completedJobEvents(completedA)],
      [failedB, failedJobEvents(failedB)],
    ]);
    const before = await projected(jobs);
    const kvStream = `KV_${bucket}`;
    const lastWriteBefore = (await jsm.streams.info(kvStream)).state.last_seq;

    await rebuildJobViews(jsm, readModel);
    const after = await projected(jobs, 30_000);

    expect(after).toEqual(before);
    expect(after).toEqual(jobs.map((job) => job.expected));
    // Every view written before the rebuild was removed: the ones there now were written after it.
    expect((await jsm.streams.info(kvStream)).state.first_seq).toBeGreaterThan(lastWriteBefore);
  });
});
