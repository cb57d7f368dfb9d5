import { randomUUID } from 'node:crypto';
import { type NatsServer, startNatsServer, waitFor } from '@lacquer/testing';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKvJobReadModel } from './kv-job-read-model.ts';
import { provisionKvJobReadModel } from './kv-job-read-model-bucket.ts';
import { describeJobReadModelContract } from './test-support/job-read-model-contract.ts';
import { completedJobView, requestedJobView } from './test-support/job-view-fixtures.ts';
import { sortableJobIds } from './test-support/sortable-job-ids.ts';

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc?.close();
  await server?.close();
});

const uniqueBucket = (): string => `jobs-${randomUUID()}`;

describeJobReadModelContract('KV (nats-server)', async () => {
  const bucket = uniqueBucket();
  await provisionKvJobReadModel(nc, { bucket });
  return createKvJobReadModel(nc, { bucket });
});

describe('KV job read model on JetStream', () => {
  it('provisioning is idempotent and keeps what the bucket holds', async () => {
    const bucket = uniqueBucket();
    await provisionKvJobReadModel(nc, { bucket });
    const model = createKvJobReadModel(nc, { bucket });
    const view = requestedJobView({
      tenantId: 'tenant-a',
      jobId: sortableJobIds(Date.now())(),
      requestedAt: new Date('2025-03-01T12:00:00Z'),
    });
    await model.create(view);

    await provisionKvJobReadModel(nc, { bucket });

    expect(await model.get('tenant-a', view.jobId)).toEqual(view);
  });

  it('index markers a writer left behind (it stopped between its view write and its purge) are cleaned up', async () => {
    const bucket = uniqueBucket();
    await provisionKvJobReadModel(nc, { bucket });
    const model = createKvJobReadModel(nc, { bucket });
    const kv = await new Kvm(nc).open(bucket);
    const nextJobId = sortableJobIds(Date.now());
    const fixture = (jobId: string) => ({ tenantId: 'tenant-a', jobId, requestedAt: new Date() });
    const done = completedJobView(fixture(nextJobId()));
    const retried = requestedJobView(fixture(nextJobId()));
    // The marker of the state the job was in, then its new view, and no purge.
    await kv.put(`live.tenant-a.${done.jobId}`, new Uint8Array(0));
    await kv.put(`view.tenant-a.${done.jobId}`, new TextEncoder().encode(JSON.stringify(done)));
    await kv.put(`failed.tenant-a.${retried.jobId}`, new Uint8Array(0));
    await kv.put(`live.tenant-a.${retried.jobId}`, new Uint8Array(0));
    await kv.put(`view.tenant-a.${retried.jobId}`, new TextEncoder().encode(JSON.stringify(retried)));
    expect(await model.countInFlight('tenant-a')).toBe(2);

    // The projector folds the redelivered event: the finished view is written again.
    await model.update('tenant-a', done.jobId, (current) => current);
    expect(await model.countInFlight('tenant-a')).toBe(1);
    expect(await kv.get(`live.tenant-a.${done.jobId}`)).toBeNull();

    // Listing the failed jobs skips the job that is queued again, and purges its marker.
    expect(await model.listFailed({ limit: 10 })).toEqual({ jobs: [], nextCursor: null });
    expect(await kv.get(`failed.tenant-a.${retried.jobId}`)).toBeNull();
  });

  it('a bucket that was never provisioned is READ_MODEL_UNAVAILABLE (retryable)', async () => {
    const model = createKvJobReadModel(nc, { bucket: uniqueBucket(), timeoutMs: 1_000 });

    await expect(model.get('tenant-a', 'job-1')).rejects.toMatchObject({
      code: 'READ_MODEL_UNAVAILABLE',
      retryable: true,
    });
  });

  it('a stopped server is READ_MODEL_UNAVAILABLE (retryable) within the timeout, and it recovers', async () => {
    const bucket = uniqueBucket();
    const timeoutMs = 500;
    const own = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    try {
      await provisionKvJobReadModel(own, { bucket, timeoutMs });
      const model = createKvJobReadModel(own, { bucket, timeoutMs });
      const view = requestedJobView({
        tenantId: 'tenant-a',
        jobId: sortableJobIds(Date.now())(),
        requestedAt: new Date('2025-03-01T12:00:00Z'),
      });
      await model.create(view);

      await server.stop();
      try {
        const startedMs = Date.now();
        const outcomes = await Promise.allSettled([
          model.get('tenant-a', view.jobId),
          model.create({ ...view, jobId: sortableJobIds(Date.now())() }),
          model.list('tenant-a', { limit: 10 }),
          model.countInFlight('tenant-a'),
          model.listFailed({ limit: 10 }),
          model.update('tenant-a', view.jobId, (current) => current),
          model.claimIdempotencyKey('tenant-a', 'key', { jobId: view.jobId, requestHash: 'a' }),
          model.clearViews(),
        ]);
        for (const outcome of outcomes) {
          expect(outcome).toMatchObject({
            status: 'rejected',
            reason: { code: 'READ_MODEL_UNAVAILABLE', retryable: true },
          });
        }
        // Every call fails in about one request timeout, not after reconnect attempts run out.
        expect(Date.now() - startedMs).toBeLessThan(10 * timeoutMs);
      } finally {
        await server.start();
      }

      const recovered = await waitFor(
        async () => (await model.get('tenant-a', view.jobId).catch(() => undefined)) ?? undefined,
        { timeoutMs: 15_000, what: 'the read model to answer after the restart' },
      );
      expect(recovered).toEqual(view);
    } finally {
      await own.close();
    }
  });
});
