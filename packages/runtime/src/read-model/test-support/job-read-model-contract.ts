import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EventContextSchema, JobStep, JobStepStartedSchema } from '@lacquer/contracts';
import { describe, expect, it } from 'vitest';
import { evolveJobView, type JobView } from '../../jobs/job-view.ts';
import type { JobReadModel } from '../job-read-model.ts';
import {
  completedJobView,
  failedJobView,
  processingJobView,
  requestedJobView,
  retriedJobView,
} from './job-view-fixtures.ts';
import { sortableJobIds } from './sortable-job-ids.ts';

const REQUESTED_AT = new Date('2025-03-01T12:00:00.000Z');

/** A fresh tenant id per test, so tests never see each other's jobs. */
const newTenantId = (): string => `tenant-${randomUUID().slice(0, 8)}`;

/** Idempotency keys a client may send: separators and wildcards of subjects, unicode, length. */
const ODD_IDEMPOTENCY_KEYS = [
  'order 42 / retry',
  'a.b.c',
  '*',
  '>',
  'key.*.>',
  'ключ-🎛️-鍵',
  'x'.repeat(200),
] as const;

/** A new tenant with one stored, just-requested job. */
async function givenStoredJob(model: JobReadModel): Promise<{ tenantId: string; view: JobView }> {
  const tenantId = newTenantId();
  const view = requestedJobView({ tenantId, jobId: sortableJobIds(Date.now())(), requestedAt: REQUESTED_AT });
  await model.create(view);
  return { tenantId, view };
}

/**
 * The behaviour every {@link JobReadModel} adapter shares, as vitest tests. `setup` gives a
 * model on an empty store (called once per test; use unique bucket or collection names).
 */
export function describeJobReadModelContract(name: string, setup: () => Promise<JobReadModel>): void {
  describe(`${name}: the JobReadModel contract`, () => {
    it('get returns the view create stored, metrics and artifacts included', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const view = completedJobView({
        tenantId,
        jobId: sortableJobIds(Date.now())(),
        requestedAt: REQUESTED_AT,
      });

      expect(await model.create(view)).toBe(true);

      expect(await model.get(tenantId, view.jobId)).toEqual(view);
    });

    it('create answers false for a job that has a view and keeps the first one', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const jobId = sortableJobIds(Date.now())();
      const first = requestedJobView({ tenantId, jobId, requestedAt: REQUESTED_AT });
      await model.create(first);

      const second = completedJobView({ tenantId, jobId, requestedAt: REQUESTED_AT });
      expect(await model.create(second)).toBe(false);

      expect(await model.get(tenantId, jobId)).toEqual(first);
    });

    it('get finds nothing for another tenant, an unknown job, or ids that are not tokens', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const nextJobId = sortableJobIds(Date.now());
      const view = requestedJobView({ tenantId, jobId: nextJobId(), requestedAt: REQUESTED_AT });
      await model.create(view);

      expect(await model.get(newTenantId(), view.jobId)).toBeNull();
      expect(await model.get(tenantId, nextJobId())).toBeNull();
      expect(await model.get(tenantId, `${view.jobId}.x`)).toBeNull();
      expect(await model.get(`${tenantId}.*`, view.jobId)).toBeNull();
      expect(await model.get('', '')).toBeNull();
    });

    it('update stores the change and returns it', async () => {
      const model = await setup();
      const { tenantId, view } = await givenStoredJob(model);
      const stepStarted = {
        type: 'JobStepStarted',
        data: create(JobStepStartedSchema, {
          context: create(EventContextSchema, {
            jobId: view.jobId,
            tenantId,
            occurredAt: timestampFromDate(new Date(REQUESTED_AT.getTime() + 1000)),
          }),
          step: JobStep.ANALYZE,
          attempt: 1,
        }),
      } as const;

      const updated = await model.update(tenantId, view.jobId, (current) =>
        current ? evolveJobView(current, stepStarted, 2) : null,
      );

      expect(updated).toMatchObject({
        status: 'processing',
        currentStep: 'analyze',
        attempts: 1,
        lastSequence: 2,
      });
      expect(await model.get(tenantId, view.jobId)).toEqual(updated);
    });

    it('update whose change returns null stores nothing and returns what is stored', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const nextJobId = sortableJobIds(Date.now());
      const view = requestedJobView({ tenantId, jobId: nextJobId(), requestedAt: REQUESTED_AT });
      await model.create(view);
      const missingJobId = nextJobId();

      expect(await model.update(tenantId, view.jobId, () => null)).toEqual(view);
      expect(await model.update(tenantId, missingJobId, () => null)).toBeNull();

      expect(await model.get(tenantId, view.jobId)).toEqual(view);
      expect(await model.get(tenantId, missingJobId)).toBeNull();
    });

    it('update of a job without a view stores the view change returns', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const view = requestedJobView({
        tenantId,
        jobId: sortableJobIds(Date.now())(),
        requestedAt: REQUESTED_AT,
      });
      let seen: JobView | null | undefined;

      const stored = await model.update(tenantId, view.jobId, (current) => {
        seen = current;
        return current ?? view;
      });

      expect(seen).toBeNull();
      expect(stored).toEqual(view);
      expect(await model.get(tenantId, view.jobId)).toEqual(view);
    });

    it('20 concurrent updates all land (compare-and-set, retried on conflict)', async () => {
      const model = await setup();
      const { tenantId, view } = await givenStoredJob(model);

      await Promise.all(
        Array.from({ length: 20 }, () =>
          model.update(tenantId, view.jobId, (current) =>
            current ? { ...current, attempts: current.attempts + 1 } : null,
          ),
        ),
      );

      expect((await model.get(tenantId, view.jobId))?.attempts).toBe(20);
    });

    it('an error thrown by change reaches the caller as it is and stores nothing', async () => {
      const model = await setup();
      const { tenantId, view } = await givenStoredJob(model);
      const failure = new RangeError('the fold refused the event');

      await expect(
        model.update(tenantId, view.jobId, () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expect(
        model.update(tenantId, view.jobId, (current) =>
          current ? { ...current, jobId: 'another-job' } : null,
        ),
      ).rejects.toBeInstanceOf(TypeError);

      expect(await model.get(tenantId, view.jobId)).toEqual(view);
    });

    it('list pages through a tenant’s jobs newest first, and only that tenant’s', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const otherTenantId = newTenantId();
      const nextJobId = sortableJobIds(Date.now());
      const jobIds: string[] = [];
      for (let index = 0; index < 25; index += 1) {
        const jobId = nextJobId();
        jobIds.push(jobId);
        await model.create(requestedJobView({ tenantId, jobId, requestedAt: REQUESTED_AT }));
        await model.create(
          requestedJobView({ tenantId: otherTenantId, jobId: nextJobId(), requestedAt: REQUESTED_AT }),
        );
      }
      const newestFirst = [...jobIds].reverse();

      const first = await model.list(tenantId, { limit: 10 });
      const second = await model.list(tenantId, { limit: 10, cursor: first.nextCursor ?? 'missing' });
      const third = await model.list(tenantId, { limit: 10, cursor: second.nextCursor ?? 'missing' });

      expect(first.jobs.map((job) => job.jobId)).toEqual(newestFirst.slice(0, 10));
      expect(second.jobs.map((job) => job.jobId)).toEqual(newestFirst.slice(10, 20));
      expect(third.jobs.map((job) => job.jobId)).toEqual(newestFirst.slice(20, 25));
      expect(third.nextCursor).toBeNull();
      expect([...first.jobs, ...second.jobs, ...third.jobs].every((job) => job.tenantId === tenantId)).toBe(
        true,
      );
    });

    it('list gives one page with no cursor when the jobs fit, and an empty page for a tenant without jobs', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const nextJobId = sortableJobIds(Date.now());
      const views = [nextJobId(), nextJobId()].map((jobId) =>
        requestedJobView({ tenantId, jobId, requestedAt: REQUESTED_AT }),
      );
      for (const view of views) await model.create(view);

      expect(await model.list(tenantId, { limit: 2 })).toEqual({
        jobs: [...views].reverse(),
        nextCursor: null,
      });
      expect(await model.list(newTenantId(), { limit: 100 })).toEqual({ jobs: [], nextCursor: null });
    });

    it('list refuses a limit outside 1 … 100 and a cursor it did not make with REQUEST_INVALID', async () => {
      const model = await setup();
      const tenantId = newTenantId();

      for (const limit of [0, 101, 2.5, Number.NaN]) {
        await expect(model.list(tenantId, { limit })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
      }
      for (const cursor of ['', 'not a cursor!', '***']) {
        await expect(model.list(tenantId, { limit: 10, cursor })).rejects.toMatchObject({
          code: 'REQUEST_INVALID',
        });
      }
    });

    it('countInFlight counts a tenant’s queued and processing jobs, and follows every change', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const otherTenantId = newTenantId();
      const nextJobId = sortableJobIds(Date.now());
      const job = (fixtureTenantId: string) => ({
        tenantId: fixtureTenantId,
        jobId: nextJobId(),
        requestedAt: REQUESTED_AT,
      });
      const queued = requestedJobView(job(tenantId));
      const processing = processingJobView(job(tenantId));
      const failed = failedJobView(job(tenantId));
      for (const view of [
        queued,
        processing,
        failed,
        completedJobView(job(tenantId)),
        requestedJobView(job(otherTenantId)),
      ]) {
        await model.create(view);
      }

      expect(await model.countInFlight(tenantId)).toBe(2);
      expect(await model.countInFlight(otherTenantId)).toBe(1);
      expect(await model.countInFlight(newTenantId())).toBe(0);
      expect(await model.countInFlight(`${tenantId}.*`)).toBe(0);

      const done = completedJobView({ tenantId, jobId: processing.jobId, requestedAt: REQUESTED_AT });
      await model.update(tenantId, processing.jobId, () => done);
      await model.update(tenantId, queued.jobId, () => ({ ...processing, jobId: queued.jobId }));
      expect(await model.countInFlight(tenantId)).toBe(1);

      await model.update(tenantId, failed.jobId, (current) => (current ? retriedJobView(current) : null));
      expect(await model.countInFlight(tenantId)).toBe(2);

      await model.clearViews();
      expect(await model.countInFlight(tenantId)).toBe(0);
    });

    it('listFailed pages through the failed jobs of every tenant newest first', async () => {
      const model = await setup();
      const tenants = [newTenantId(), newTenantId()];
      const nextJobId = sortableJobIds(Date.now());
      const failedIds: string[] = [];
      for (let index = 0; index < 7; index += 1) {
        const tenantId = tenants[index % 2] ?? '';
        const jobId = nextJobId();
        failedIds.push(jobId);
        await model.create(failedJobView({ tenantId, jobId, requestedAt: REQUESTED_AT }));
        await model.create(requestedJobView({ tenantId, jobId: nextJobId(), requestedAt: REQUESTED_AT }));
        await model.create(completedJobView({ tenantId, jobId: nextJobId(), requestedAt: REQUESTED_AT }));
      }
      const ids = (page: { readonly jobs: readonly JobView[] }) => page.jobs.map((job) => job.jobId);
      const newestFirst = [...failedIds].reverse();

      const first = await model.listFailed({ limit: 3 });
      const second = await model.listFailed({ limit: 3, cursor: first.nextCursor ?? 'missing' });
      const third = await model.listFailed({ limit: 3, cursor: second.nextCursor ?? 'missing' });
      expect(ids(first)).toEqual(newestFirst.slice(0, 3));
      expect(ids(second)).toEqual(newestFirst.slice(3, 6));
      expect(ids(third)).toEqual(newestFirst.slice(6));
      expect(third.nextCursor).toBeNull();
      expect(new Set(first.jobs.map((job) => job.tenantId))).toEqual(new Set(tenants));
      expect(first.jobs.every((job) => job.status === 'failed')).toBe(true);
      expect(first.jobs[0]).toMatchObject({ error: { code: 'MEDIA_DECODE_FAILED' } });

      const retriedId = newestFirst[0] ?? '';
      const retriedTenant = first.jobs[0]?.tenantId ?? '';
      await model.update(retriedTenant, retriedId, (current) => (current ? retriedJobView(current) : null));
      const all = await model.listFailed({ limit: 100 });
      expect(all).toEqual({ jobs: expect.any(Array), nextCursor: null });
      expect(ids(all)).toEqual(newestFirst.slice(1));
    });

    it('listFailed gives an empty page without failed jobs, and refuses a bad limit or cursor with REQUEST_INVALID', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      await model.create(
        requestedJobView({ tenantId, jobId: sortableJobIds(Date.now())(), requestedAt: REQUESTED_AT }),
      );

      expect(await model.listFailed({ limit: 10 })).toEqual({ jobs: [], nextCursor: null });
      for (const limit of [0, 101, 2.5]) {
        await expect(model.listFailed({ limit })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
      }
      await expect(model.listFailed({ limit: 10, cursor: 'not a cursor!' })).rejects.toMatchObject({
        code: 'REQUEST_INVALID',
      });
    });

    it('claimIdempotencyKey records the first claim of a key and returns it to later ones, per tenant', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const otherTenantId = newTenantId();
      const nextJobId = sortableJobIds(Date.now());

      for (const key of ODD_IDEMPOTENCY_KEYS) {
        const first = { jobId: nextJobId(), requestHash: 'a'.repeat(64) };
        const later = { jobId: nextJobId(), requestHash: 'b'.repeat(64) };
        const otherTenants = { jobId: nextJobId(), requestHash: 'c'.repeat(64) };

        expect(await model.claimIdempotencyKey(tenantId, key, first)).toBeNull();
        expect(await model.claimIdempotencyKey(tenantId, key, later)).toEqual(first);
        expect(await model.claimIdempotencyKey(otherTenantId, key, otherTenants)).toBeNull();
        expect(await model.claimIdempotencyKey(otherTenantId, key, later)).toEqual(otherTenants);
      }
    });

    it('clearViews removes every view and keeps the idempotency claims', async () => {
      const model = await setup();
      const tenantId = newTenantId();
      const nextJobId = sortableJobIds(Date.now());
      const views = [nextJobId(), nextJobId(), nextJobId()].map((jobId) =>
        requestedJobView({ tenantId, jobId, requestedAt: REQUESTED_AT }),
      );
      for (const view of views) await model.create(view);
      const claim = { jobId: views[0]?.jobId ?? '', requestHash: 'd'.repeat(64) };
      await model.claimIdempotencyKey(tenantId, 'upload-1', claim);

      await model.clearViews();

      for (const view of views) expect(await model.get(tenantId, view.jobId)).toBeNull();
      expect(await model.list(tenantId, { limit: 10 })).toEqual({ jobs: [], nextCursor: null });
      expect(await model.claimIdempotencyKey(tenantId, 'upload-1', { jobId: 'x', requestHash: 'e' })).toEqual(
        claim,
      );
      const [rebuilt] = views;
      if (rebuilt) expect(await model.create(rebuilt)).toBe(true);
      expect(await model.get(tenantId, rebuilt?.jobId ?? '')).toEqual(rebuilt);
    });
  });
}
