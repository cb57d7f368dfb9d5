import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isLacquerError } from '@lacquer/errors';
import { freePort } from '@lacquer/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsBlobRoutes } from './fs-blob-routes.ts';
import { createFsBlobStore, type FsBlobStore } from './fs-blob-store.ts';
import { fsObjectPaths } from './fs-object-path.ts';
import { uploadObjectKey } from './object-keys.ts';
import { describeBlobStoreContract } from './test-support/blob-store-contract.ts';

const SIGNING_SECRET = 'fs-blob-store-int-test-secret-0123456789';

interface FsServer {
  readonly store: FsBlobStore;
  readonly rootDir: string;
  readonly port: number;
  close(): Promise<void>;
}

async function startFsServer(now?: () => Date): Promise<FsServer> {
  const rootDir = await mkdtemp(join(tmpdir(), 'lacquer-fs-blobs-'));
  const port = await freePort();
  const store = createFsBlobStore({
    rootDir,
    publicBaseUrl: `http://127.0.0.1:${port}`,
    signingSecret: SIGNING_SECRET,
    ...(now === undefined ? {} : { now }),
  });
  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(fsBlobRoutes, { store });
  await app.listen({ host: '127.0.0.1', port });
  return {
    store,
    rootDir,
    port,
    async close() {
      await app.close();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

describeBlobStoreContract(
  'fs (fastify routes)',
  async (clock) => {
    const server = await startFsServer(clock.now);
    return { store: server.store, close: () => server.close() };
  },
  { checksSignatures: true },
);

/** Sends a PUT in chunks without Content-Length (chunked), and reads whatever answer comes. */
function putChunked(
  url: string,
  headers: Readonly<Record<string, string>>,
  chunks: readonly Uint8Array[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'PUT', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    const writeNext = (index: number): void => {
      const chunk = chunks[index];
      if (chunk === undefined) {
        request.end();
        return;
      }
      request.write(chunk, () => setImmediate(() => writeNext(index + 1)));
    };
    writeNext(0);
  });
}

/** A GET of `path` exactly as given (no URL normalisation). */
function getRaw(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('fs blob routes', () => {
  let server: FsServer;
  const freshKey = (): string => uploadObjectKey({ tenantId: 'fs-only', uploadId: randomUUID() });

  beforeAll(async () => {
    server = await startFsServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  /** PUTs `sizeBytes` zero bytes to a URL signed for at most 1000 bytes of audio/wav. */
  const putSignedUpload = async (key: string, sizeBytes: number): Promise<Response> => {
    const upload = await server.store.signUpload(key, {
      contentType: 'audio/wav',
      maxSizeBytes: 1000,
      expiresInSeconds: 60,
    });
    return fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(sizeBytes) });
  };

  it('refuses a body whose Content-Length exceeds the signed size with 413 and stores nothing', async () => {
    const key = freshKey();
    const response = await putSignedUpload(key, 1001);
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'https://lacquer.dev/problems/upload-too-large',
      title: 'Payload Too Large',
      status: 413,
      code: 'UPLOAD_TOO_LARGE',
      detail: expect.any(String),
    });
    expect(await server.store.head(key)).toBeNull();
  });

  it('accepts a body of exactly the signed size', async () => {
    const key = freshKey();
    const response = await putSignedUpload(key, 1000);
    expect(response.status).toBe(204);
    expect((await server.store.head(key))?.sizeBytes).toBe(1000);
  });

  it('stops a chunked body as soon as it passes the signed size, leaving no object or temporary file', async () => {
    const key = freshKey();
    const maxSizeBytes = 64 * 1024;
    const upload = await server.store.signUpload(key, {
      contentType: 'audio/wav',
      maxSizeBytes,
      expiresInSeconds: 60,
    });
    const chunks = Array.from({ length: 8 }, () => new Uint8Array(randomBytes(16 * 1024)));
    const response = await putChunked(upload.url, upload.headers, chunks);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ status: 413, code: 'UPLOAD_TOO_LARGE' });
    expect(await server.store.head(key)).toBeNull();
    const uploadsDir = dirname(fsObjectPaths(server.rootDir, key).dataPath);
    const leftovers = (await readdir(uploadsDir).catch(() => [])).filter((name) =>
      name.includes(key.split('/').at(-1) ?? ''),
    );
    expect(leftovers).toEqual([]);
  });

  it('stores a chunked body within the signed size', async () => {
    const key = freshKey();
    const upload = await server.store.signUpload(key, {
      contentType: 'audio/wav',
      maxSizeBytes: 64 * 1024,
      expiresInSeconds: 60,
    });
    const chunks = Array.from({ length: 4 }, () => new Uint8Array(randomBytes(16 * 1024)));
    const response = await putChunked(upload.url, upload.headers, chunks);
    expect(response.status).toBe(204);
    expect(await server.store.getBytes(key)).toEqual(new Uint8Array(Buffer.concat(chunks)));
  });

  it('answers 404 BLOB_NOT_FOUND for a signed download of a missing object', async () => {
    const download = await server.store.signDownload(freshKey(), { expiresInSeconds: 60 });
    const response = await fetch(download.url);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, code: 'BLOB_NOT_FOUND' });
  });

  it('answers 403 SIGNED_URL_INVALID when a signature is reused for another key, method or limit', async () => {
    const key = freshKey();
    await server.store.putBytes(key, new Uint8Array([1, 2, 3]), { contentType: 'application/octet-stream' });
    const download = new URL((await server.store.signDownload(key, { expiresInSeconds: 60 })).url);
    const otherKey = new URL(download);
    otherKey.pathname = otherKey.pathname.replace('fs-only', 'other-tenant');
    const asUpload = new URL(download);
    asUpload.searchParams.set('max-size', '1000000');
    asUpload.searchParams.set('content-type', 'audio/wav');
    const attempts = [
      fetch(otherKey),
      fetch(asUpload, { method: 'PUT', headers: { 'content-type': 'audio/wav' }, body: 'x' }),
      fetch(`${download.origin}${download.pathname}`),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'SIGNED_URL_INVALID' });
    }
  });

  it('answers 403 SIGNED_URL_EXPIRED for an expired URL', async () => {
    const key = freshKey();
    await server.store.putBytes(key, new Uint8Array([1]), { contentType: 'application/octet-stream' });
    const inThePast = createFsBlobStore({
      rootDir: server.rootDir,
      publicBaseUrl: `http://127.0.0.1:${server.port}`,
      signingSecret: SIGNING_SECRET,
      now: () => new Date(Date.now() - 3_600_000),
    });
    const download = await inThePast.signDownload(key, { expiresInSeconds: 60 });
    const response = await fetch(download.url);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'SIGNED_URL_EXPIRED' });
  });

  it('refuses path traversal in the URL with 403 and serves nothing outside the root', async () => {
    const key = freshKey();
    await server.store.putBytes(key, new Uint8Array([1]), { contentType: 'application/octet-stream' });
    const download = new URL((await server.store.signDownload(key, { expiresInSeconds: 60 })).url);
    const paths = [
      '/v1/blobs/..%2f..%2f..%2fetc%2fpasswd',
      '/v1/blobs/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/v1/blobs/../../../etc/passwd',
      `${download.pathname}/..%2f..%2f..%2fx`,
      `${download.pathname}/../../x`,
    ];
    for (const path of paths) {
      // Sent as written: fetch() would resolve the dot segments before they reach the server.
      const response = await getRaw(server.port, `${path}${download.search}`);
      expect(response.status, path).toBe(403);
      expect(JSON.parse(response.body), path).toMatchObject({ code: 'SIGNED_URL_INVALID' });
    }
  });

  it('refuses keys that would leave the root directory in every store method', async () => {
    for (const key of ['../outside', 'tenants/../../outside', '/etc/passwd', 'tenants/t1/x.meta.json']) {
      await expect(server.store.getBytes(key)).rejects.toThrow(TypeError);
      await expect(server.store.putBytes(key, new Uint8Array([1]), { contentType: 'x/y' })).rejects.toThrow(
        TypeError,
      );
      await expect(server.store.head(key)).rejects.toThrow(TypeError);
      await expect(server.store.delete(key)).rejects.toThrow(TypeError);
      await expect(server.store.signDownload(key, { expiresInSeconds: 60 })).rejects.toThrow(TypeError);
    }
  });

  it('fails putFile of a missing source file with BLOB_UNAVAILABLE', async () => {
    const error = await server.store
      .putFile(freshKey(), join(server.rootDir, 'no-such-file.wav'), { contentType: 'audio/wav' })
      .catch((caught: unknown) => caught);
    expect(isLacquerError(error, 'BLOB_UNAVAILABLE')).toBe(true);
  });
});
