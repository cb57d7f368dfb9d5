import { readdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@lacquer/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT_BYTES } from './app.ts';
import {
  bearer,
  type GatewayHarness,
  startGatewayHarness,
  TEST_KEYS,
} from './test-support/gateway-harness.ts';
import { exchangeRaw, sendRequest } from './test-support/raw-http.ts';
import { publishAll, workerEvents } from './test-support/worker-events.ts';

// The gateway's security basics, route by route: tenant isolation, API keys held as hashes,
// signed URLs, object keys that no request can steer, and the limits on what a request may send.

let gateway: GatewayHarness;
/** Every line the gateway logged (pino JSON, level trace). */
const logLines: string[] = [];
/** The blob store's clock: tests move it to expire signed URLs. */
let blobClockOffsetMs = 0;
/** A file next to the blob directory that no request may read or write. */
const OUTSIDE_BYTES = new TextEncoder().encode('outside the blob directory');
const OUTSIDE_NAME = 'outside.wav';
const TTL_SECONDS = 900;

beforeAll(async () => {
  // A pino logger with fastify's own request serializers, as the gateway's logger gets them.
  const log = Fastify({
    logger: { level: 'trace', stream: { write: (line: string) => logLines.push(line) } },
  }).log;
  gateway = await startGatewayHarness(
    { maxUploadBytes: 1024 * 1024, signedUrlTtlSeconds: TTL_SECONDS },
    { blobClock: () => new Date(Date.now() + blobClockOffsetMs), log },
  );
  await writeFile(join(gateway.workDir, OUTSIDE_NAME), OUTSIDE_BYTES);
});

afterAll(async () => {
  await gateway?.close();
});

type Tenant = keyof typeof TEST_KEYS;

const WAV_BYTES = new Uint8Array([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 5, 6, 7, 8]);

interface DeclaredUpload {
  readonly uploadId: string;
  readonly uploadUrl: string;
  readonly headers: Record<string, string>;
  /** The upload's object key (what the signed URL's path names). */
  readonly key: string;
}

async function declareUpload(tenant: Tenant, sizeBytes = WAV_BYTES.byteLength): Promise<DeclaredUpload> {
  const declared = await gateway.app.inject({
    method: 'POST',
    url: '/v1/uploads',
    headers: bearer(tenant),
    payload: { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes },
  });
  expect(declared.statusCode).toBe(201);
  const { uploadId, uploadUrl, headers } = declared.json();
  return { uploadId, uploadUrl, headers, key: `tenants/${tenant}/uploads/${uploadId}` };
}

async function upload(tenant: Tenant, bytes: Uint8Array = WAV_BYTES): Promise<DeclaredUpload> {
  const declared = await declareUpload(tenant, bytes.byteLength);
  const put = await fetch(declared.uploadUrl, { method: 'PUT', headers: declared.headers, body: bytes });
  expect(put.status).toBe(204);
  return declared;
}

async function newJob(tenant: Tenant): Promise<string> {
  const { uploadId } = await upload(tenant);
  const created = await gateway.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: bearer(tenant),
    payload: { input: { uploadId } },
  });
  expect(created.statusCode).toBe(202);
  return created.json().jobId;
}

async function completedJob(tenant: Tenant): Promise<string> {
  const jobId = await newJob(tenant);
  await publishAll(gateway.publisher, await workerEvents(gateway.blobStore, { jobId, tenantId: tenant }));
  await waitFor(async () =>
    (await gateway.readModel.get(tenant, jobId))?.status === 'completed' ? true : undefined,
  );
  return jobId;
}

/** The signed download URL the artifact route redirects to. */
async function downloadUrl(tenant: Tenant, jobId: string, name: string): Promise<string> {
  const redirect = await gateway.app.inject({
    method: 'GET',
    url: `/v1/jobs/${jobId}/artifacts/${name}`,
    headers: bearer(tenant),
  });
  expect(redirect.statusCode).toBe(302);
  return String(redirect.headers.location);
}

/** The answer's status, code and detail, with `id` replaced (to compare two answers). */
function refusal(response: { statusCode: number; json(): Record<string, unknown> }, id: string) {
  const body = response.json();
  return {
    status: response.statusCode,
    code: body.code,
    detail: String(body.detail).replaceAll(id, '<id>'),
  };
}

/** `url`'s path and query, with `change` applied to its query. */
function withQuery(url: string, change: (query: URLSearchParams) => void): string {
  const parsed = new URL(url);
  change(parsed.searchParams);
  return `${parsed.pathname}?${parsed.searchParams}`;
}

const problemCode = (response: { body: string }) => (JSON.parse(response.body) as { code?: string }).code;

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('tenant isolation', () => {
  it("another tenant's job is 404 JOB_NOT_FOUND on every job route, word for word the answer for a job that does not exist", async () => {
    const jobId = await completedJob('local');
    const missingId = '0196f3a2-7c1e-7d3b-9a55-3f1c2b4d5e6f';

    for (const path of ['', '/artifacts/master.wav', '/events']) {
      const theirs = await gateway.app.inject({
        method: 'GET',
        url: `/v1/jobs/${jobId}${path}`,
        headers: bearer('acme'),
      });
      const missing = await gateway.app.inject({
        method: 'GET',
        url: `/v1/jobs/${missingId}${path}`,
        headers: bearer('acme'),
      });
      expect({ path, ...refusal(theirs, jobId) }).toEqual({
        path,
        status: 404,
        code: 'JOB_NOT_FOUND',
        detail: expect.any(String),
      });
      expect(refusal(theirs, jobId)).toEqual(refusal(missing, missingId));
    }
  });

  it("lists only the tenant's own jobs", async () => {
    const localJob = await newJob('local');
    const acmeJob = await newJob('acme');

    const listed = await gateway.app.inject({
      method: 'GET',
      url: '/v1/jobs?limit=100',
      headers: bearer('acme'),
    });

    const ids = listed.json().jobs.map((job: { jobId: string }) => job.jobId);
    expect(ids).toContain(acmeJob);
    expect(ids).not.toContain(localJob);
  });

  it("another tenant's upload is 409 UPLOAD_NOT_FOUND, word for word the answer for an upload that does not exist", async () => {
    const { uploadId } = await upload('local');
    const missingId = 'e1f0c4a2-5b8d-4c3e-9f7a-1d2b3c4d5e6f';

    const theirs = await gateway.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: bearer('acme'),
      payload: { input: { uploadId } },
    });
    const missing = await gateway.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: bearer('acme'),
      payload: { input: { uploadId: missingId } },
    });

    expect(refusal(theirs, uploadId)).toEqual({
      status: 409,
      code: 'UPLOAD_NOT_FOUND',
      detail: expect.any(String),
    });
    expect(refusal(theirs, uploadId)).toEqual(refusal(missing, missingId));
  });

  it("a signed URL cannot be pointed at another tenant's object", async () => {
    const acme = await declareUpload('acme');
    const local = await upload('local');
    const jobId = await completedJob('local');
    const download = new URL(await downloadUrl('local', jobId, 'master.wav'));

    const put = await sendRequest(gateway.baseUrl, {
      method: 'PUT',
      path: withQuery(acme.uploadUrl, () => {}).replace('/tenants/acme/', '/tenants/local/'),
      headers: acme.headers,
      body: WAV_BYTES,
    });
    const get = await sendRequest(gateway.baseUrl, {
      method: 'GET',
      path: `${download.pathname.replace(`/jobs/${jobId}/`, `/uploads/${local.uploadId}/`)}${download.search}`,
    });

    expect([put.status, problemCode(put)]).toEqual([403, 'SIGNED_URL_INVALID']);
    expect([get.status, problemCode(get)]).toEqual([403, 'SIGNED_URL_INVALID']);
    expect(await gateway.blobStore.getBytes(local.key)).toEqual(WAV_BYTES);
  });
});

describe('API keys', () => {
  it('no log line, at level trace, holds a key: good, wrong, or malformed, on success and on failure', async () => {
    const wrongKey = 'wrong-key-7c1e7d3b9a553f1c';
    logLines.length = 0;

    await gateway.app.inject({ method: 'GET', url: '/v1/jobs', headers: bearer('local') });
    await gateway.app.inject({ method: 'GET', url: '/v1/jobs/x%00', headers: bearer('acme') });
    await gateway.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: bearer('local'),
      payload: { input: { uploadId: 'no-such-upload' } },
    });
    const wrong = await gateway.app.inject({
      method: 'GET',
      url: '/v1/jobs',
      headers: { authorization: `Bearer ${wrongKey}` },
    });
    await gateway.app.inject({
      method: 'GET',
      url: '/v1/jobs',
      headers: { authorization: `Basic ${TEST_KEYS.local}` },
    });

    expect(logLines.length).toBeGreaterThan(5);
    const logged = logLines.join('\n');
    for (const key of [...Object.values(TEST_KEYS), wrongKey]) expect(logged).not.toContain(key);
    expect(logged).not.toContain('authorization');
    expect(wrong.body).not.toContain(wrongKey);
  });
});

describe('signed URLs', () => {
  it('an upload URL altered in any part is 403 SIGNED_URL_INVALID and stores nothing', async () => {
    const target = await declareUpload('local');
    const other = await declareUpload('local');
    const original = new URL(target.uploadUrl);
    const signature = original.searchParams.get('signature') ?? '';
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const alterations: [string, string][] = [
      ['another upload id in the path', original.pathname.replace(target.uploadId, other.uploadId)],
      ['another tenant in the path', original.pathname.replace('/tenants/local/', '/tenants/acme/')],
      ['a longer path', original.pathname.replace('/uploads/', '/uploads/x/')],
      [
        'a later expiry',
        withQuery(target.uploadUrl, (query) =>
          query.set('expires', String(Number(query.get('expires')) + 1)),
        ),
      ],
      [
        'an earlier expiry',
        withQuery(target.uploadUrl, (query) =>
          query.set('expires', String(Number(query.get('expires')) - 1)),
        ),
      ],
      ['a larger size limit', withQuery(target.uploadUrl, (query) => query.set('max-size', '1048576'))],
      [
        'another content type',
        withQuery(target.uploadUrl, (query) => query.set('content-type', 'audio/flac')),
      ],
      [
        'one signature digit changed',
        withQuery(target.uploadUrl, (query) => query.set('signature', flipped)),
      ],
      [
        'the signature in capitals',
        withQuery(target.uploadUrl, (query) => query.set('signature', signature.toUpperCase())),
      ],
      [
        'a shortened signature',
        withQuery(target.uploadUrl, (query) => query.set('signature', signature.slice(1))),
      ],
      ['an empty signature', withQuery(target.uploadUrl, (query) => query.set('signature', ''))],
      ['no signature', withQuery(target.uploadUrl, (query) => query.delete('signature'))],
      ['the signature twice', withQuery(target.uploadUrl, (query) => query.append('signature', signature))],
      ['a file name added', withQuery(target.uploadUrl, (query) => query.set('filename', 'x.wav'))],
    ];

    for (const [what, pathAndQuery] of alterations) {
      const path = pathAndQuery.includes('?') ? pathAndQuery : `${pathAndQuery}${original.search}`;
      const contentType = new URLSearchParams(path.split('?')[1]).get('content-type') ?? 'audio/wav';
      const response = await sendRequest(gateway.baseUrl, {
        method: 'PUT',
        path,
        headers: { 'content-type': contentType },
        body: WAV_BYTES,
      });
      expect({ what, status: response.status, code: problemCode(response) }).toEqual({
        what,
        status: 403,
        code: 'SIGNED_URL_INVALID',
      });
    }
    expect(await gateway.blobStore.head(target.key)).toBeNull();
    expect(await gateway.blobStore.head(other.key)).toBeNull();
    expect(await filesUnder(gateway.blobDir)).not.toContain(expect.stringContaining('/acme/uploads/'));
  });

  it('a download URL altered in any part, or used to PUT, is 403 SIGNED_URL_INVALID', async () => {
    const jobId = await completedJob('local');
    const url = await downloadUrl('local', jobId, 'master.wav');
    const { pathname, search } = new URL(url);
    const alterations: [string, string, string][] = [
      ['another artifact', 'GET', `${pathname.replace('master.wav', 'preview.mp3')}${search}`],
      ['another file name', 'GET', withQuery(url, (query) => query.set('filename', 'evil.exe'))],
      ['no file name', 'GET', withQuery(url, (query) => query.delete('filename'))],
      [
        'a later expiry',
        'GET',
        withQuery(url, (query) => query.set('expires', String(Number(query.get('expires')) + 60))),
      ],
      ['upload limits added', 'GET', withQuery(url, (query) => query.set('max-size', '10'))],
      ['the method PUT', 'PUT', `${pathname}${search}`],
    ];

    for (const [what, method, path] of alterations) {
      const response = await sendRequest(gateway.baseUrl, {
        method,
        path,
        headers: { 'content-type': 'audio/wav' },
        ...(method === 'PUT' ? { body: WAV_BYTES } : {}),
      });
      expect({ what, status: response.status, code: problemCode(response) }).toEqual({
        what,
        status: 403,
        code: 'SIGNED_URL_INVALID',
      });
    }
    const unchanged = await fetch(url);
    expect(unchanged.status).toBe(200);
    expect((await unchanged.arrayBuffer()).byteLength).toBe(4096);
  });

  it('an upload URL used to GET is 403 SIGNED_URL_INVALID, even once the file is there', async () => {
    const uploaded = await upload('local');

    const response = await fetch(uploaded.uploadUrl);

    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('SIGNED_URL_INVALID');
  });

  it('URLs past their expiry are 403 SIGNED_URL_EXPIRED, for uploads and downloads', async () => {
    const declared = await declareUpload('local');
    const jobId = await completedJob('local');
    const url = await downloadUrl('local', jobId, 'master.wav');

    blobClockOffsetMs = (TTL_SECONDS + 1) * 1000;
    try {
      const put = await fetch(declared.uploadUrl, {
        method: 'PUT',
        headers: declared.headers,
        body: WAV_BYTES,
      });
      const get = await fetch(url);

      expect([put.status, ((await put.json()) as { code: string }).code]).toEqual([
        403,
        'SIGNED_URL_EXPIRED',
      ]);
      expect([get.status, ((await get.json()) as { code: string }).code]).toEqual([
        403,
        'SIGNED_URL_EXPIRED',
      ]);
      expect(await gateway.blobStore.head(declared.key)).toBeNull();
    } finally {
      blobClockOffsetMs = 0;
    }
  });
});

describe('object keys and path traversal', () => {
  const TRAVERSALS = [
    '..',
    '../../etc/passwd',
    '%2e%2e',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '..%2F..%2F',
    'a/b',
    'a\\b',
    '/etc/passwd',
    'C:\\Windows',
    'a\u0000b',
    'a.b',
    ' ',
    'x'.repeat(129),
  ];

  it.each([
    ['input', (uploadId: string) => ({ input: { uploadId } })],
    ['reference', (uploadId: string) => ({ input: { uploadId: 'u1' }, reference: { uploadId } })],
  ])('an %s upload id that is not an id is 400 REQUEST_INVALID', async (_role, body) => {
    for (const uploadId of [...TRAVERSALS, 'x'.repeat(60_000)]) {
      const response = await gateway.app.inject({
        method: 'POST',
        url: '/v1/jobs',
        headers: bearer('local'),
        payload: body(uploadId),
      });
      expect({
        uploadId: uploadId.slice(0, 40),
        status: response.statusCode,
        code: response.json().code,
      }).toEqual({ uploadId: uploadId.slice(0, 40), status: 400, code: 'REQUEST_INVALID' });
    }
  });

  it('a job id in a path that is not an id is 400 REQUEST_INVALID', async () => {
    const encoded = [
      '..',
      '.',
      '%2e%2e',
      '%2E%2E',
      '..%2F..%2Fblobs',
      '%2Fetc%2Fpasswd',
      'a%5Cb',
      'a%00b',
      '%00',
      'a.b',
      'a%20b',
      '%C0%AE%C0%AE',
    ];
    for (const suffix of ['', '/events', '/artifacts/master.wav']) {
      for (const jobId of encoded) {
        const response = await sendRequest(gateway.baseUrl, {
          method: 'GET',
          path: `/v1/jobs/${jobId}${suffix}`,
          headers: bearer('local'),
        });
        expect({
          path: `/v1/jobs/${jobId}${suffix}`,
          status: response.status,
          code: problemCode(response),
        }).toEqual({ path: `/v1/jobs/${jobId}${suffix}`, status: 400, code: 'REQUEST_INVALID' });
      }
      const long = await sendRequest(gateway.baseUrl, {
        method: 'GET',
        path: `/v1/jobs/${'a'.repeat(5000)}${suffix}`,
        headers: bearer('local'),
      });
      expect([long.status, problemCode(long)]).toEqual([400, 'REQUEST_INVALID']);
    }
  });

  it('an artifact name that is not an artifact is 404 ARTIFACT_NOT_FOUND (400 REQUEST_INVALID past 100 characters)', async () => {
    const jobId = await completedJob('local');
    const names = [
      '..',
      '..%2F..%2F..%2Fuploads',
      '%2e%2e%2fmaster.wav',
      'master.wav%00',
      'master.wav%00.txt',
      '%2Fetc%2Fpasswd',
      'MASTER.WAV',
      'master.wav.meta.json',
      'input.wav',
    ];

    for (const name of names) {
      const response = await sendRequest(gateway.baseUrl, {
        method: 'GET',
        path: `/v1/jobs/${jobId}/artifacts/${name}`,
        headers: bearer('local'),
      });
      expect({ name, status: response.status, code: problemCode(response) }).toEqual({
        name,
        status: 404,
        code: 'ARTIFACT_NOT_FOUND',
      });
    }
    const long = await gateway.app.inject({
      method: 'GET',
      url: `/v1/jobs/${jobId}/artifacts/${'m'.repeat(101)}`,
      headers: bearer('local'),
    });
    expect([long.statusCode, long.json().code]).toEqual([400, 'REQUEST_INVALID']);
  });

  it('a blob path that leaves the blob directory is refused and touches nothing outside it', async () => {
    const declared = await declareUpload('local');
    const { search } = new URL(declared.uploadUrl);
    const before = await filesUnder(gateway.workDir);
    const paths = [
      `/v1/blobs/tenants/local/uploads/../../../../${OUTSIDE_NAME}`,
      `/v1/blobs/../${OUTSIDE_NAME}`,
      `/v1/blobs/%2e%2e/${OUTSIDE_NAME}`,
      `/v1/blobs/%2e%2e%2f${OUTSIDE_NAME}`,
      `/v1/blobs/tenants%2flocal%2fuploads%2f..%2f..%2f..%2f..%2f${OUTSIDE_NAME}`,
      `/v1/blobs/%2F${encodeURIComponent(join(gateway.workDir, OUTSIDE_NAME))}`,
      `/v1/blobs/${join(gateway.workDir, OUTSIDE_NAME)}`,
      `/v1/blobs/tenants/local/uploads/${declared.uploadId}%00`,
      `/v1/blobs/tenants/local/uploads/${declared.uploadId}.meta.json`,
      `/v1/blobs/tenants/local/uploads/..%5c..%5c..%5c${OUTSIDE_NAME}`,
      `/v1/blobs/${'a/'.repeat(2000)}x`,
    ];

    for (const path of paths) {
      for (const method of ['PUT', 'GET']) {
        const response = await sendRequest(gateway.baseUrl, {
          method,
          path: `${path}${search}`,
          headers: { 'content-type': 'audio/wav' },
          ...(method === 'PUT' ? { body: WAV_BYTES } : {}),
        });
        expect({
          method,
          path: path.slice(0, 80),
          status: response.status,
          code: problemCode(response),
        }).toEqual({
          method,
          path: path.slice(0, 80),
          status: 403,
          code: 'SIGNED_URL_INVALID',
        });
        expect(response.body).not.toContain('outside the blob directory');
      }
    }
    const tooLong = await sendRequest(gateway.baseUrl, {
      method: 'GET',
      path: `/v1/blobs/${'a'.repeat(20_000)}${search}`,
    });
    expect(tooLong.status).toBe(431);

    expect(await readFile(join(gateway.workDir, OUTSIDE_NAME))).toEqual(Buffer.from(OUTSIDE_BYTES));
    expect(await filesUnder(gateway.workDir)).toEqual(before);
  });
});

describe('limits on what a request sends', () => {
  const oversizedJson = JSON.stringify({ input: { uploadId: 'x'.repeat(JSON_BODY_LIMIT_BYTES) } });

  it.each(['/v1/uploads', '/v1/jobs'])(
    'a JSON body over 64 KiB on %s is 413 REQUEST_TOO_LARGE, declared or streamed in chunks',
    async (path) => {
      const declared = await sendRequest(gateway.baseUrl, {
        method: 'POST',
        path,
        headers: { ...bearer('local'), 'content-type': 'application/json' },
        body: new TextEncoder().encode(oversizedJson),
      });
      const chunks = Array.from({ length: 20 }, () => new TextEncoder().encode('x'.repeat(8 * 1024)));
      const chunked = await sendRequest(gateway.baseUrl, {
        method: 'POST',
        path,
        headers: { ...bearer('local'), 'content-type': 'application/json' },
        body: [new TextEncoder().encode('{"filename":"'), ...chunks],
      });
      // Content-Length says 100 MB and no byte follows: refused at once, from the header.
      const announced = await exchangeRaw(
        gateway.baseUrl,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_KEYS.local}\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n`,
        { end: false, timeoutMs: 2000 },
      );

      expect([declared.status, problemCode(declared)]).toEqual([413, 'REQUEST_TOO_LARGE']);
      expect([chunked.status, problemCode(chunked)]).toEqual([413, 'REQUEST_TOO_LARGE']);
      expect(announced.status).toBe(413);
      expect(announced.text).toContain('REQUEST_TOO_LARGE');
    },
  );

  it('an upload over its declared size is 413 UPLOAD_TOO_LARGE, declared or streamed in chunks, and stores nothing', async () => {
    const declared = await declareUpload('local', 1000);
    const chunked = await declareUpload('local', 1000);
    const announced = await declareUpload('local', 1000);

    const put = await sendRequest(gateway.baseUrl, {
      method: 'PUT',
      path: withQuery(declared.uploadUrl, () => {}),
      headers: declared.headers,
      body: new Uint8Array(1001),
    });
    const streamed = await sendRequest(gateway.baseUrl, {
      method: 'PUT',
      path: withQuery(chunked.uploadUrl, () => {}),
      headers: chunked.headers,
      body: Array.from({ length: 64 }, () => new Uint8Array(100)),
    });
    // Content-Length says 100 MB and no byte follows: refused at once, from the header.
    const early = await exchangeRaw(
      gateway.baseUrl,
      `PUT ${withQuery(announced.uploadUrl, () => {})} HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: 100000000\r\n\r\n`,
      { end: false, timeoutMs: 2000 },
    );

    expect([put.status, problemCode(put)]).toEqual([413, 'UPLOAD_TOO_LARGE']);
    expect([streamed.status, problemCode(streamed)]).toEqual([413, 'UPLOAD_TOO_LARGE']);
    expect(early.status).toBe(413);
    expect(early.text).toContain('UPLOAD_TOO_LARGE');
    for (const { key } of [declared, chunked, announced])
      expect(await gateway.blobStore.head(key)).toBeNull();
  });

  it('bytes after the declared Content-Length are not part of the upload', async () => {
    const declared = await declareUpload('local', 8);
    const { hostname, port } = new URL(gateway.baseUrl);
    const socket = connect({ host: hostname, port: Number(port) });
    let answers = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      answers += text;
    });
    await new Promise<void>((resolve) => socket.once('connect', resolve));

    socket.write(
      `PUT ${withQuery(declared.uploadUrl, () => {})} HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: 4\r\n\r\nRIFF`,
    );
    await waitFor(() => (answers.includes('\r\n\r\n') ? true : undefined), { what: 'the answer' });
    socket.write('x'.repeat(100_000));
    await new Promise<void>((resolve) => socket.once('close', resolve));

    expect(answers).toMatch(/^HTTP\/1\.1 204 .*HTTP\/1\.1 400 /s);
    expect(await gateway.blobStore.getBytes(declared.key)).toEqual(new TextEncoder().encode('RIFF'));
  });

  it('a client that goes away mid-upload leaves nothing stored, and the gateway answering', async () => {
    const halfClosed = await declareUpload('local', 8);
    const reset = await declareUpload('local', 8);
    const request = (url: string) =>
      `PUT ${withQuery(url, () => {})} HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: 8\r\n\r\nRIFF`;

    await exchangeRaw(gateway.baseUrl, request(halfClosed.uploadUrl));
    await exchangeRaw(gateway.baseUrl, request(reset.uploadUrl), { end: false, timeoutMs: 200 });

    await waitFor(
      async () =>
        (await filesUnder(gateway.blobDir)).some((file) => file.endsWith('.tmp')) ? undefined : true,
      { what: 'the aborted uploads to be cleaned up' },
    );
    for (const { key } of [halfClosed, reset]) expect(await gateway.blobStore.head(key)).toBeNull();
    const health = await fetch(`${gateway.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('single-use upload URLs', () => {
  it('a second PUT to an upload that holds its file is 409 UPLOAD_ALREADY_COMPLETED and keeps the first bytes', async () => {
    const uploaded = await upload('local');

    const again = await fetch(uploaded.uploadUrl, {
      method: 'PUT',
      headers: uploaded.headers,
      body: new Uint8Array(WAV_BYTES.byteLength),
    });

    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      type: 'https://lacquer.dev/problems/upload-already-completed',
      title: 'Conflict',
      status: 409,
      code: 'UPLOAD_ALREADY_COMPLETED',
      detail: expect.any(String),
    });
    expect(await gateway.blobStore.getBytes(uploaded.key)).toEqual(WAV_BYTES);
  });

  it('a PUT while another PUT to the same URL is under way is 409 too, and the first one completes', async () => {
    const declared = await declareUpload('local', 8);
    const path = withQuery(declared.uploadUrl, () => {});
    const head = `PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: 8\r\n\r\nRIFF`;
    const { hostname, port } = new URL(gateway.baseUrl);
    const first = connect({ host: hostname, port: Number(port) });
    let firstAnswer = '';
    first.setEncoding('utf8');
    first.on('data', (text: string) => {
      firstAnswer += text;
    });
    await new Promise<void>((resolve) => first.once('connect', resolve));
    first.write(head);
    await waitFor(
      async () =>
        (await filesUnder(gateway.blobDir)).some((file) => file.endsWith('.tmp')) ? true : undefined,
      {
        what: 'the first upload to start writing',
      },
    );

    const second = await sendRequest(gateway.baseUrl, {
      method: 'PUT',
      path,
      headers: declared.headers,
      body: new TextEncoder().encode('SECOND!!'),
    });
    first.write('1234');
    await waitFor(() => (firstAnswer.includes('\r\n\r\n') ? true : undefined), { what: 'the first answer' });
    first.destroy();

    expect([second.status, problemCode(second)]).toEqual([409, 'UPLOAD_ALREADY_COMPLETED']);
    expect(firstAnswer).toMatch(/^HTTP\/1\.1 204/);
    expect(await gateway.blobStore.getBytes(declared.key)).toEqual(new TextEncoder().encode('RIFF1234'));
  });

  it('an upload that failed (too large) can be sent again with the same URL', async () => {
    const declared = await declareUpload('local', 4);

    const tooLarge = await fetch(declared.uploadUrl, {
      method: 'PUT',
      headers: declared.headers,
      body: WAV_BYTES,
    });
    const retried = await fetch(declared.uploadUrl, {
      method: 'PUT',
      headers: declared.headers,
      body: WAV_BYTES.slice(0, 4),
    });

    expect(tooLarge.status).toBe(413);
    expect(retried.status).toBe(204);
    expect(await gateway.blobStore.getBytes(declared.key)).toEqual(WAV_BYTES.slice(0, 4));
  });
});
