import { create } from '@bufbuild/protobuf';
import { JobFailedSchema, JobStep, jobEventContext } from '@lacquer/contracts';
import { waitFor } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GatewayHarness,
  startGatewayHarness,
  TEST_KEYS,
} from '../test-support/gateway-harness.ts';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness();
});
afterAll(async () => {
  await gateway?.close();
});

type Tenant = 'local' | 'acme';

/** A job of `tenant` whose analyze step failed with `code`, as the REST API and a worker leave it. */
async function failedJob(tenant: Tenant, code: string): Promise<string> {
  const declared = await gateway.app.inject({
    method: 'POST',
    url: '/v1/uploads',
    headers: bearer(tenant),
    payload: { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 4 },
  });
  const { uploadId, uploadUrl, method, headers } = declared.json();
  await fetch(uploadUrl, { method, headers, body: new Uint8Array([0x52, 0x49, 0x46, 0x46]) });
  const created = await gateway.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: bearer(tenant),
    payload: { input: { uploadId } },
  });
  const { jobId } = created.json();
  const tenantId = tenant === 'local' ? 'local' : 'acme';
  await gateway.publisher.publish({
    type: 'JobFailed',
    data: create(JobFailedSchema, {
      context: jobEventContext(jobId, tenantId, new Date()),
      step: JobStep.ANALYZE,
      errorCode: code,
      errorMessage: 'the worker said so',
      attempts: 5,
    }),
  });
  await waitFor(async () =>
    (await gateway.readModel.get(tenantId, jobId))?.status === 'failed' ? true : undefined,
  );
  return jobId;
}

const admin = (method: 'GET' | 'POST', url: string, key: string = TEST_KEYS.admin) =>
  gateway.app.inject({ method, url, headers: { authorization: `Bearer ${key}` } });

describe('operator routes', () => {
  it('lists failed jobs of every tenant, newest first, for the admin key only', async () => {
    const older = await failedJob('local', 'STEP_ATTEMPTS_EXHAUSTED');
    const newer = await failedJob('acme', 'MEDIA_DECODE_FAILED');
    const listed = await admin('GET', '/v1/admin/failed-jobs?limit=10');
    expect(listed.statusCode).toBe(200);
    const jobs = listed.json().jobs as { jobId: string; tenantId: string; error: { code: string } }[];
    const ours = jobs.filter((job) => [older, newer].includes(job.jobId));
    expect(ours.map((job) => [job.jobId, job.tenantId, job.error.code])).toEqual([
      [newer, 'acme', 'MEDIA_DECODE_FAILED'],
      [older, 'local', 'STEP_ATTEMPTS_EXHAUSTED'],
    ]);
    expect((await admin('GET', '/v1/admin/failed-jobs', TEST_KEYS.acme)).json().code).toBe('ADMIN_REQUIRED');
    expect((await admin('GET', '/v1/admin/failed-jobs', TEST_KEYS.acme)).statusCode).toBe(403);
    expect((await admin('GET', '/v1/admin/failed-jobs', 'nobody')).statusCode).toBe(401);
    expect((await gateway.app.inject({ method: 'GET', url: '/v1/admin/failed-jobs' })).statusCode).toBe(401);
  });

  it('retries one failed job (202), then refuses it while it is not failed (409 JOB_NOT_FAILED)', async () => {
    const jobId = await failedJob('acme', 'STEP_ATTEMPTS_EXHAUSTED');
    const retried = await admin('POST', `/v1/admin/jobs/${jobId}/retry`);
    expect([retried.statusCode, retried.json()]).toEqual([
      202,
      { jobId, tenantId: 'acme', step: 'analyze', retry: 1 },
    ]);
    const view = await waitFor(async () => {
      const current = await gateway.readModel.get('acme', jobId);
      return current?.retries === 1 ? current : undefined;
    });
    expect([view.status, view.error, view.lastError?.code]).toEqual([
      'queued',
      null,
      'STEP_ATTEMPTS_EXHAUSTED',
    ]);
    const again = await admin('POST', `/v1/admin/jobs/${jobId}/retry`);
    expect([again.statusCode, again.json().code]).toEqual([409, 'JOB_NOT_FAILED']);
    const missing = await admin('POST', '/v1/admin/jobs/no-such-job/retry');
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'JOB_NOT_FOUND']);
    const byTenant = await admin('POST', `/v1/admin/jobs/${jobId}/retry`, TEST_KEYS.acme);
    expect(byTenant.statusCode).toBe(403);
  });

  it('retries every failed job in one call', async () => {
    const jobIds = [await failedJob('local', 'INTERNAL_ERROR'), await failedJob('acme', 'INTERNAL_ERROR')];
    const outcome = await admin('POST', '/v1/admin/failed-jobs/retry');
    expect(outcome.statusCode).toBe(202);
    const retried = (outcome.json().retried as { jobId: string }[]).map((retry) => retry.jobId);
    expect(retried).toEqual(expect.arrayContaining(jobIds));
    await waitFor(async () => {
      const remaining = (await admin('GET', '/v1/admin/failed-jobs?limit=100')).json().jobs as unknown[];
      return remaining.length === 0 ? true : undefined;
    });
  });
});
