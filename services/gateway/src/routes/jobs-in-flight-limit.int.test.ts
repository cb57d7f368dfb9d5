import { waitFor } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GatewayHarness,
  startGatewayHarness,
  type TEST_KEYS,
} from '../test-support/gateway-harness.ts';
import { publishAll, workerEvents } from '../test-support/worker-events.ts';
import { TENANT_JOBS_LIMIT_RETRY_AFTER_SECONDS } from './create-job.ts';

let gateway: GatewayHarness;
const LIMIT = 2;

beforeAll(async () => {
  gateway = await startGatewayHarness({ maxJobsInFlightPerTenant: LIMIT });
});

afterAll(async () => {
  await gateway?.close();
});

type Tenant = keyof typeof TEST_KEYS;

async function upload(tenant: Tenant): Promise<string> {
  const declared = await gateway.app.inject({
    method: 'POST',
    url: '/v1/uploads',
    headers: bearer(tenant),
    payload: { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 4 },
  });
  const { uploadId, uploadUrl, headers } = declared.json();
  const put = await fetch(uploadUrl, { method: 'PUT', headers, body: new Uint8Array([1, 2, 3, 4]) });
  expect(put.status).toBe(204);
  return uploadId;
}

const requestJob = async (tenant: Tenant, uploadId: string, idempotencyKey?: string) =>
  gateway.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: { ...bearer(tenant), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    payload: { input: { uploadId } },
  });

describe('LACQUER_MAX_JOBS_IN_FLIGHT_PER_TENANT', () => {
  it('refuses a job beyond the limit with 429 TENANT_JOBS_LIMIT and Retry-After, per tenant, until one finishes', async () => {
    const uploadId = await upload('local');
    const first = await requestJob('local', uploadId, 'first');
    const second = await requestJob('local', uploadId);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);

    const refused = await requestJob('local', uploadId, 'third');
    const replay = await requestJob('local', uploadId, 'first');
    const otherTenant = await requestJob('acme', await upload('acme'));

    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(TENANT_JOBS_LIMIT_RETRY_AFTER_SECONDS));
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.json()).toEqual({
      type: 'https://lacquer.dev/problems/tenant-jobs-limit',
      title: 'Too Many Requests',
      status: 429,
      code: 'TENANT_JOBS_LIMIT',
      detail: expect.any(String),
    });
    expect([replay.statusCode, replay.json()]).toEqual([202, first.json()]);
    expect(otherTenant.statusCode).toBe(202);

    const { jobId } = first.json();
    await publishAll(gateway.publisher, await workerEvents(gateway.blobStore, { jobId, tenantId: 'local' }));
    await waitFor(async () =>
      (await gateway.readModel.get('local', jobId))?.status === 'completed' ? true : undefined,
    );

    // The refused request, sent again with its key, goes through now.
    const retried = await requestJob('local', uploadId, 'third');
    expect(retried.statusCode).toBe(202);
    expect((await requestJob('local', uploadId)).statusCode).toBe(429);
    expect(await gateway.readModel.countInFlight('local')).toBe(LIMIT);
  });
});
