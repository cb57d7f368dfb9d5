import { readJobRequest } from '@lacquer/runtime';
import { waitFor } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GatewayHarness,
  startGatewayHarness,
  TEST_KEYS,
} from './test-support/gateway-harness.ts';
import { MASTER_BYTES, publishAll, workerEvents } from './test-support/worker-events.ts';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness();
});

afterAll(async () => {
  await gateway?.close();
});

type Tenant = keyof typeof TEST_KEYS;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WAV_BYTES = new Uint8Array([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 5, 6, 7, 8]);

const problemBody = (code: string, status: number, title: string) => ({
  type: `https://lacquer.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
  title,
  status,
  code,
  detail: expect.any(String),
});

/** Declares an upload, PUTs the bytes to its signed URL over HTTP, and returns its id. */
async function upload(tenant: Tenant, bytes: Uint8Array = WAV_BYTES): Promise<string> {
  const declared = await gateway.app.inject({
    method: 'POST',
    url: '/v1/uploads',
    headers: bearer(tenant),
    payload: { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: bytes.byteLength },
  });
  expect(declared.statusCode).toBe(201);
  const { uploadId, uploadUrl, method, headers } = declared.json();
  const put = await fetch(uploadUrl, { method, headers, body: bytes });
  expect(put.status).toBe(204);
  return uploadId;
}

async function requestJob(tenant: Tenant, payload: object, headers: Record<string, string> = {}) {
  return gateway.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: { ...bearer(tenant), ...headers },
    payload,
  });
}

async function newJob(tenant: Tenant): Promise<string> {
  const response = await requestJob(tenant, { input: { uploadId: await upload(tenant) } });
  expect(response.statusCode).toBe(202);
  return response.json().jobId;
}

describe('authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown key', { authorization: 'Bearer not-a-key' }],
    ['another scheme', { authorization: `Basic ${TEST_KEYS.local}` }],
  ])('answers 401 AUTH_REQUIRED for %s', async (_what, headers) => {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/jobs', headers });

    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toEqual(problemBody('AUTH_REQUIRED', 401, 'Unauthorized'));
  });

  it('guards every /v1 route', async () => {
    const routes = [
      ['POST', '/v1/uploads'],
      ['POST', '/v1/jobs'],
      ['GET', '/v1/jobs/x'],
      ['GET', '/v1/jobs/x/artifacts/master.wav'],
      ['GET', '/v1/jobs/x/events'],
    ] as const;
    for (const [method, url] of routes) {
      const response = await gateway.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect({ url, code: response.json().code }).toEqual({ url, code: 'AUTH_REQUIRED' });
    }
  });
});

describe('POST /v1/uploads', () => {
  it('answers a signed PUT URL', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: bearer('local'),
      payload: { filename: 'Song Final.FLAC', contentType: 'Audio/FLAC', sizeBytes: 1000 },
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      uploadId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      uploadUrl: expect.stringMatching(new RegExp(`^${gateway.baseUrl}/v1/blobs/tenants/local/uploads/`)),
      method: 'PUT',
      headers: { 'Content-Type': 'audio/flac' },
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it.each([
    ['a type that is not audio', { filename: 'mix.wav', contentType: 'text/plain', sizeBytes: 10 }, 415],
    ['a file name that is not audio', { filename: 'mix.exe', contentType: 'audio/wav', sizeBytes: 10 }, 415],
    ['no extension', { filename: 'wav', contentType: 'audio/wav', sizeBytes: 10 }, 415],
    [
      'a size over the limit',
      { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 1024 * 1024 + 1 },
      413,
    ],
    ['a size of 0', { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 0 }, 400],
    ['a missing field', { filename: 'mix.wav', contentType: 'audio/wav' }, 400],
    ['an unknown field', { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 10, x: 1 }, 400],
  ])('refuses %s', async (_what, payload, status) => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: bearer('local'),
      payload,
    });

    const problems: Record<number, object> = {
      415: problemBody('UPLOAD_TYPE_UNSUPPORTED', 415, 'Unsupported Media Type'),
      413: problemBody('UPLOAD_TOO_LARGE', 413, 'Payload Too Large'),
      400: problemBody('REQUEST_INVALID', 400, 'Bad Request'),
    };
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status,
      body: problems[status],
    });
  });

  it('the signed URL refuses more bytes than were declared', async () => {
    const declared = await gateway.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: bearer('local'),
      payload: { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 4 },
    });
    const { uploadUrl, headers } = declared.json();

    const put = await fetch(uploadUrl, { method: 'PUT', headers, body: WAV_BYTES });

    expect(put.status).toBe(413);
    expect(((await put.json()) as { code: string }).code).toBe('UPLOAD_TOO_LARGE');
  });

  it('accepts uploads larger than the JSON body limit through the signed URL', async () => {
    const uploadId = await upload('local', new Uint8Array(200 * 1024));

    expect(await gateway.blobStore.head(`tenants/local/uploads/${uploadId}`)).toEqual({
      sizeBytes: 200 * 1024,
      contentType: 'audio/wav',
    });
  });
});

describe('POST /v1/jobs and GET /v1/jobs/{jobId}', () => {
  it('queues a job that a GET right after finds', async () => {
    const input = await upload('local');
    const reference = await upload('local');

    const created = await requestJob('local', {
      input: { uploadId: input },
      reference: { uploadId: reference },
      target: { preset: 'apple-music' },
      intensityPercent: 70,
    });

    expect(created.statusCode).toBe(202);
    const { jobId } = created.json();
    expect(created.json()).toEqual({ jobId: expect.stringMatching(UUID_V7), status: 'queued' });
    expect(created.headers.location).toBe(`/v1/jobs/${jobId}`);
    const fetched = await gateway.app.inject({
      method: 'GET',
      url: `/v1/jobs/${jobId}`,
      headers: bearer('local'),
    });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual({
      jobId,
      status: 'queued',
      progress: 0,
      currentStep: 'queued',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      target: { preset: 'apple-music', integratedLufs: -16, truePeakDbtp: -1 },
      artifacts: [],
      metrics: { input: null, output: null },
      attempts: 0,
      lastError: null,
      retries: 0,
    });
  });

  it('records the style, the intensity and the reference amounts in JobRequested', async () => {
    const created = await requestJob('local', {
      input: { uploadId: await upload('local') },
      reference: { uploadId: await upload('local'), tonePercent: 60, densityPercent: 0 },
      style: 'warm',
      intensityPercent: 30,
    });

    const request = await readJobRequest(gateway.jsm, created.json().jobId);
    expect(request).toMatchObject({ style: 'warm', intensityPercent: 30 });
    expect(request.matchAmounts).toMatchObject({ tonePercent: 60, densityPercent: 0 });
    expect(request.matchAmounts?.widthPercent).toBeUndefined();
  });

  it('takes figures of the caller as the target', async () => {
    const created = await requestJob('local', {
      input: { uploadId: await upload('local') },
      target: { integratedLufs: -11, truePeakDbtp: -0.5 },
    });
    const fetched = await gateway.app.inject({
      method: 'GET',
      url: `/v1/jobs/${created.json().jobId}`,
      headers: bearer('local'),
    });

    expect(fetched.json().target).toEqual({ preset: null, integratedLufs: -11, truePeakDbtp: -0.5 });
  });

  it.each([
    ['an unknown preset', { preset: 'vinyl' }],
    ['a loudness out of range', { integratedLufs: -50, truePeakDbtp: -1 }],
    ['a ceiling out of range', { integratedLufs: -14, truePeakDbtp: 1 }],
  ])('refuses %s with 400 ENGINE_INVALID_TARGET', async (_what, target) => {
    const response = await requestJob('local', { input: { uploadId: await upload('local') }, target });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problemBody('ENGINE_INVALID_TARGET', 400, 'Bad Request'));
  });

  it('answers 409 UPLOAD_NOT_FOUND for an upload never PUT, or of another tenant', async () => {
    const declared = await gateway.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: bearer('local'),
      payload: { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 10 },
    });
    const acmeUpload = await upload('acme');

    const neverPut = await requestJob('local', { input: { uploadId: declared.json().uploadId } });
    const otherTenants = await requestJob('local', { input: { uploadId: acmeUpload } });
    const reference = await requestJob('acme', {
      input: { uploadId: acmeUpload },
      reference: { uploadId: declared.json().uploadId },
    });

    for (const response of [neverPut, otherTenants, reference]) {
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual(problemBody('UPLOAD_NOT_FOUND', 409, 'Conflict'));
    }
  });

  it('answers 413 UPLOAD_TOO_LARGE for a stored upload over the limit', async () => {
    // Stored behind the gateway's back (an S3 PUT cannot be limited): the job request checks the size.
    const uploadId = 'oversized-upload';
    await gateway.blobStore.putBytes(`tenants/local/uploads/${uploadId}`, new Uint8Array(1024 * 1024 + 1), {
      contentType: 'audio/wav',
    });

    const response = await requestJob('local', { input: { uploadId } });

    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual(problemBody('UPLOAD_TOO_LARGE', 413, 'Payload Too Large'));
  });

  it.each([
    ['no input', {}],
    ['an upload id that is not an id', { input: { uploadId: '../../etc/passwd' } }],
    ['an intensity out of range', { input: { uploadId: 'u1' }, intensityPercent: 101 }],
    ['an unknown style', { input: { uploadId: 'u1' }, style: 'loud' }],
    [
      'a reference amount out of range',
      { input: { uploadId: 'u1' }, reference: { uploadId: 'u2', tonePercent: -1 } },
    ],
    [
      'a target mixing both forms',
      { input: { uploadId: 'u1' }, target: { preset: 'spotify', truePeakDbtp: -1 } },
    ],
  ])('refuses %s with 400 REQUEST_INVALID', async (_what, payload) => {
    const response = await requestJob('local', payload);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problemBody('REQUEST_INVALID', 400, 'Bad Request'));
  });

  it('answers malformed JSON with 400 REQUEST_INVALID', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { ...bearer('local'), 'content-type': 'application/json' },
      payload: '{"input":',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problemBody('REQUEST_INVALID', 400, 'Bad Request'));
  });

  it('answers a JSON body over 64 KiB with 413 REQUEST_TOO_LARGE', async () => {
    const response = await requestJob('local', { input: { uploadId: 'x'.repeat(70 * 1024) } });

    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual(problemBody('REQUEST_TOO_LARGE', 413, 'Payload Too Large'));
  });
});

describe('Idempotency-Key', () => {
  it('a repeat with the same key and body answers the same job; another body is 422', async () => {
    const body = { input: { uploadId: await upload('local') }, target: { preset: 'spotify' } };
    const key = { 'idempotency-key': `key-${Date.now()}` };

    const first = await requestJob('local', body, key);
    const repeat = await requestJob('local', { target: { preset: 'spotify' }, input: body.input }, key);
    const changed = await requestJob('local', { ...body, intensityPercent: 10 }, key);
    const otherTenant = await requestJob('acme', { input: { uploadId: await upload('acme') } }, key);

    expect(first.statusCode).toBe(202);
    expect(repeat.statusCode).toBe(202);
    expect(repeat.json()).toEqual(first.json());
    expect(changed.statusCode).toBe(422);
    expect(changed.json()).toEqual(problemBody('IDEMPOTENCY_KEY_REUSED', 422, 'Unprocessable Entity'));
    expect(otherTenant.statusCode).toBe(202);
    expect(otherTenant.json().jobId).not.toBe(first.json().jobId);
    const listed = await gateway.app.inject({
      method: 'GET',
      url: '/v1/jobs?limit=100',
      headers: bearer('local'),
    });
    expect(
      listed.json().jobs.filter((job: { jobId: string }) => job.jobId === first.json().jobId),
    ).toHaveLength(1);
  });
});

// Another tenant's job, upload and objects: security.int.test.ts.
describe('an unknown job', () => {
  it('is 404 JOB_NOT_FOUND', async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/jobs/no-such-job',
      headers: bearer('local'),
    });

    expect(response.json()).toEqual(problemBody('JOB_NOT_FOUND', 404, 'Not Found'));
  });
});

describe('GET /v1/jobs', () => {
  it("lists the tenant's jobs newest first, a page at a time", async () => {
    // A tenant of this test alone: its own key, so other tests' jobs are not in the list.
    const before = await gateway.app.inject({ method: 'GET', url: '/v1/jobs', headers: bearer('acme') });
    const earlier: string[] = before.json().jobs.map((job: { jobId: string }) => job.jobId);
    const created = [await newJob('acme'), await newJob('acme'), await newJob('acme')];
    await newJob('local');
    const newestFirst = [...created].reverse();

    const first = await gateway.app.inject({
      method: 'GET',
      url: '/v1/jobs?limit=2',
      headers: bearer('acme'),
    });
    const second = await gateway.app.inject({
      method: 'GET',
      url: `/v1/jobs?limit=2&cursor=${first.json().nextCursor}`,
      headers: bearer('acme'),
    });

    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      jobs: newestFirst.slice(0, 2).map((jobId) => expect.objectContaining({ jobId, status: 'queued' })),
      nextCursor: expect.any(String),
    });
    const rest = [newestFirst[2], ...earlier].slice(0, 2);
    expect(second.json().jobs.map((job: { jobId: string }) => job.jobId)).toEqual(rest);
    const all = await gateway.app.inject({
      method: 'GET',
      url: '/v1/jobs?limit=100',
      headers: bearer('acme'),
    });
    expect(all.json()).toEqual({
      jobs: [...newestFirst, ...earlier].map((jobId) => expect.objectContaining({ jobId })),
      nextCursor: null,
    });
  });

  it.each([
    ['a limit of 0', '/v1/jobs?limit=0'],
    ['a limit over 100', '/v1/jobs?limit=101'],
    ['a cursor that is not one', '/v1/jobs?cursor=!!'],
    ['an unknown parameter', '/v1/jobs?page=2'],
  ])('refuses %s with 400 REQUEST_INVALID', async (_what, url) => {
    const response = await gateway.app.inject({ method: 'GET', url, headers: bearer('local') });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problemBody('REQUEST_INVALID', 400, 'Bad Request'));
  });
});

describe('artifacts', () => {
  it('redirects to a signed URL that gives the bytes, once the job has them', async () => {
    const jobId = await newJob('local');
    const early = await gateway.app.inject({
      method: 'GET',
      url: `/v1/jobs/${jobId}/artifacts/master.wav`,
      headers: bearer('local'),
    });
    expect(early.json()).toEqual(problemBody('ARTIFACT_NOT_FOUND', 404, 'Not Found'));

    await publishAll(gateway.publisher, await workerEvents(gateway.blobStore, { jobId, tenantId: 'local' }));
    const done = await waitFor(
      async () => {
        const response = await gateway.app.inject({
          method: 'GET',
          url: `/v1/jobs/${jobId}`,
          headers: bearer('local'),
        });
        return response.json().status === 'completed' ? response.json() : undefined;
      },
      { what: 'the job to complete' },
    );
    expect(done).toEqual({
      jobId,
      status: 'completed',
      progress: 100,
      currentStep: 'done',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      target: { preset: 'spotify', integratedLufs: -14, truePeakDbtp: -1 },
      artifacts: [
        { name: 'master.wav', contentType: 'audio/wav', sizeBytes: MASTER_BYTES.byteLength },
        { name: 'preview.mp3', contentType: 'audio/mpeg', sizeBytes: 4 },
      ],
      metrics: {
        input: expect.objectContaining({ integratedLoudnessLufs: -20, truePeakDbtp: -1.2 }),
        output: expect.objectContaining({ integratedLoudnessLufs: -14, truePeakDbtp: -1.2 }),
      },
      attempts: 1,
      lastError: null,
      retries: 0,
    });
    expect(JSON.stringify(done)).not.toContain('tenants/');

    const redirect = await fetch(`${gateway.baseUrl}/v1/jobs/${jobId}/artifacts/master.wav`, {
      headers: bearer('local'),
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    expect(location.startsWith(`${gateway.baseUrl}/v1/blobs/`)).toBe(true);
    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('audio/wav');
    expect(download.headers.get('content-disposition')).toContain('filename="master.wav"');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(MASTER_BYTES);

    for (const name of ['report.json', 'analysis.json', 'secrets.txt', '..%2F..%2Fx']) {
      const missing = await gateway.app.inject({
        method: 'GET',
        url: `/v1/jobs/${jobId}/artifacts/${name}`,
        headers: bearer('local'),
      });
      expect({ name, body: missing.json() }).toEqual({
        name,
        body: problemBody('ARTIFACT_NOT_FOUND', 404, 'Not Found'),
      });
    }
  });
});

describe('the rest of the server', () => {
  it('answers an unknown route with 404 ROUTE_NOT_FOUND as problem+json', async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/nothing?x=1',
      headers: bearer('local'),
    });

    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toEqual({
      type: 'https://lacquer.dev/problems/route-not-found',
      title: 'Not Found',
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: 'no route GET /v1/nothing',
    });
  });

  it('serves an OpenAPI 3.1 document of every route, without a key', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/openapi.json' });

    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/admin/failed-jobs',
      '/v1/admin/failed-jobs/retry',
      '/v1/admin/jobs/{jobId}/retry',
      '/v1/jobs',
      '/v1/jobs/{jobId}',
      '/v1/jobs/{jobId}/artifacts/{name}',
      '/v1/jobs/{jobId}/events',
      '/v1/uploads',
    ]);
    expect(Object.keys(document.paths['/v1/jobs']).sort()).toEqual(['get', 'post']);
    expect(document.components.securitySchemes).toEqual({
      apiKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(document.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'Job']));
    expect(document.paths['/v1/jobs'].post.responses['422'].content).toEqual({
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    });
    expect(
      document.paths['/v1/jobs/{jobId}'].get.responses['200'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/Job',
    });
    expect(document.info.description).toContain('`IDEMPOTENCY_KEY_REUSED` | 422');
  });

  it('serves the docs page', async () => {
    const response = await fetch(`${gateway.baseUrl}/docs`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('serves health, readiness and metrics with the HTTP request counter', async () => {
    const health = await gateway.app.inject({ method: 'GET', url: '/healthz' });
    const ready = await gateway.app.inject({ method: 'GET', url: '/readyz' });
    await gateway.app.inject({ method: 'GET', url: '/v1/jobs', headers: bearer('local') });
    const metrics = await gateway.app.inject({ method: 'GET', url: '/metrics' });

    expect(health.json()).toEqual({ status: 'ok' });
    expect(ready.json()).toEqual({ status: 'ready' });
    expect(metrics.body).toMatch(
      /lacquer_gateway_http_requests_total\{method="GET",route="\/v1\/jobs",status_code="200"\} \d+/,
    );
    expect(metrics.body).toContain('lacquer_gateway_http_request_duration_seconds_bucket');
  });
});
