import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLacquerError } from '@lacquer/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../blob-store.ts';
import { uploadObjectKey } from '../object-keys.ts';

/** A clock the contract moves: `now()` is the system time unless `set` pinned it. */
export interface ContractClock {
  readonly now: () => Date;
  /** Pins `now()` to `date`; `null` returns it to the system time. */
  set(date: Date | null): void;
}

/** A store under test, with the servers its signed URLs need already listening. */
export interface BlobStoreUnderTest {
  readonly store: BlobStore;
  close(): Promise<void>;
}

/** What the server behind an adapter's signed URLs checks. */
export interface BlobStoreContractOptions {
  /**
   * Whether the server checks signatures and signed headers (`Content-Type`). True for the fs
   * routes and real S3; false for s3rver, which checks only the expiry of SigV4 URLs.
   */
  readonly checksSignatures: boolean;
}

/**
 * Registers the one test suite every {@link BlobStore} adapter passes. `setup` builds the
 * store with `clock.now` as its clock (so the suite can sign URLs in the past), once per
 * suite; keys are unique per test.
 */
export function describeBlobStoreContract(
  name: string,
  setup: (clock: ContractClock) => Promise<BlobStoreUnderTest>,
  options: BlobStoreContractOptions,
): void {
  describe(`BlobStore contract: ${name}`, () => {
    let pinned: Date | null = null;
    const clock: ContractClock = {
      now: () => pinned ?? new Date(),
      set: (date) => {
        pinned = date;
      },
    };
    let underTest: BlobStoreUnderTest;
    let store: BlobStore;
    let scratchDir: string;

    beforeAll(async () => {
      scratchDir = await mkdtemp(join(tmpdir(), 'lacquer-blob-contract-'));
      underTest = await setup(clock);
      store = underTest.store;
    });

    afterAll(async () => {
      await underTest?.close();
      await rm(scratchDir, { recursive: true, force: true });
    });

    const freshKey = (): string => uploadObjectKey({ tenantId: 'contract', uploadId: randomUUID() });
    const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

    async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
      try {
        await run();
      } catch (error) {
        return isLacquerError(error) ? error.code : `not a LacquerError: ${String(error)}`;
      }
      return undefined;
    }

    it('stores bytes and reports their size, SHA-256 and content type', async () => {
      const key = freshKey();
      const bytes = new Uint8Array(randomBytes(4096));
      const stored = await store.putBytes(key, bytes, { contentType: 'application/json' });
      expect(stored).toEqual({ sizeBytes: 4096, sha256Hex: sha256(bytes) });
      expect(await store.getBytes(key)).toEqual(bytes);
      expect(await store.head(key)).toEqual({ sizeBytes: 4096, contentType: 'application/json' });
    });

    it('stores an empty object', async () => {
      const key = freshKey();
      const stored = await store.putBytes(key, new Uint8Array(0), {
        contentType: 'application/octet-stream',
      });
      expect(stored).toEqual({ sizeBytes: 0, sha256Hex: sha256(new Uint8Array(0)) });
      expect(await store.getBytes(key)).toEqual(new Uint8Array(0));
      expect((await store.head(key))?.sizeBytes).toBe(0);
    });

    it('stores a file and writes it back to a file, leaving no temporary files', async () => {
      const key = freshKey();
      const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
      const sourcePath = join(scratchDir, `${randomUUID()}.wav`);
      await writeFile(sourcePath, bytes);
      const stored = await store.putFile(key, sourcePath, { contentType: 'audio/wav' });
      expect(stored).toEqual({ sizeBytes: bytes.byteLength, sha256Hex: sha256(bytes) });
      expect(await store.head(key)).toEqual({ sizeBytes: bytes.byteLength, contentType: 'audio/wav' });

      const targetDir = join(scratchDir, randomUUID());
      const targetPath = join(targetDir, 'copy.wav');
      await store.getToFile(key, targetPath);
      expect(sha256(await readFile(targetPath))).toBe(sha256(bytes));
      expect(await readdir(targetDir)).toEqual(['copy.wav']);
    });

    it('answers head() with null for a missing key', async () => {
      expect(await store.head(freshKey())).toBeNull();
    });

    it('replaces an object on overwrite', async () => {
      const key = freshKey();
      await store.putBytes(key, new TextEncoder().encode('first, longer version'), {
        contentType: 'text/plain',
      });
      const second = new TextEncoder().encode('{"v":2}');
      await store.putBytes(key, second, { contentType: 'application/json' });
      expect(await store.getBytes(key)).toEqual(second);
      expect(await store.head(key)).toEqual({
        sizeBytes: second.byteLength,
        contentType: 'application/json',
      });
    });

    it('deletes idempotently', async () => {
      const key = freshKey();
      await store.putBytes(key, new Uint8Array([1, 2, 3]), { contentType: 'application/octet-stream' });
      await store.delete(key);
      expect(await store.head(key)).toBeNull();
      await store.delete(key);
      await store.delete(freshKey());
      expect(await codeOf(() => store.getBytes(key))).toBe('BLOB_NOT_FOUND');
    });

    it('fails reads of a missing key with BLOB_NOT_FOUND and writes no file', async () => {
      const key = freshKey();
      expect(await codeOf(() => store.getBytes(key))).toBe('BLOB_NOT_FOUND');
      const targetDir = join(scratchDir, randomUUID());
      expect(await codeOf(() => store.getToFile(key, join(targetDir, 'missing.wav')))).toBe('BLOB_NOT_FOUND');
      expect(await readdir(targetDir).catch(() => [])).toEqual([]);
    });

    it('accepts an upload to a signed URL with the signed headers', async () => {
      const key = freshKey();
      const bytes = new Uint8Array(randomBytes(256 * 1024));
      const upload = await store.signUpload(key, {
        contentType: 'audio/wav',
        maxSizeBytes: 1024 * 1024,
        expiresInSeconds: 300,
      });
      expect(upload.method).toBe('PUT');
      expect(upload.headers).toEqual({ 'Content-Type': 'audio/wav' });
      expectWithinSeconds(upload.expiresAt, Date.now() + 300_000, 5);
      const response = await fetch(upload.url, {
        method: upload.method,
        headers: upload.headers,
        body: bytes,
      });
      expect(response.ok, `PUT answered ${response.status}`).toBe(true);
      expect(await store.getBytes(key)).toEqual(bytes);
      expect(await store.head(key)).toEqual({ sizeBytes: bytes.byteLength, contentType: 'audio/wav' });
    });

    it('serves a signed download, offering the file name', async () => {
      const key = freshKey();
      const bytes = new Uint8Array(randomBytes(100_000));
      await store.putBytes(key, bytes, { contentType: 'audio/mpeg' });
      const download = await store.signDownload(key, {
        expiresInSeconds: 300,
        filename: 'My Song (preview).mp3',
      });
      expectWithinSeconds(download.expiresAt, Date.now() + 300_000, 5);
      const response = await fetch(download.url, { redirect: 'error' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
      expect(response.headers.get('content-disposition')).toContain(
        'attachment; filename="My Song (preview).mp3"',
      );
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    });

    it('refuses expired upload and download URLs', async () => {
      const key = freshKey();
      await store.putBytes(key, new Uint8Array([1]), { contentType: 'application/octet-stream' });
      clock.set(new Date(Date.now() - 3_600_000));
      const upload = await store.signUpload(freshKey(), {
        contentType: 'audio/wav',
        maxSizeBytes: 1024,
        expiresInSeconds: 1,
      });
      const download = await store.signDownload(key, { expiresInSeconds: 1 });
      clock.set(null);
      const put = await fetch(upload.url, {
        method: 'PUT',
        headers: upload.headers,
        body: new Uint8Array([1]),
      });
      expect(put.status).toBe(403);
      const get = await fetch(download.url);
      expect(get.status).toBe(403);
    });

    it.runIf(options.checksSignatures)('refuses an upload with another Content-Type', async () => {
      const key = freshKey();
      const upload = await store.signUpload(key, {
        contentType: 'audio/wav',
        maxSizeBytes: 1024,
        expiresInSeconds: 300,
      });
      const response = await fetch(upload.url, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/html' },
        body: '<script>alert(1)</script>',
      });
      expect(response.status).toBe(403);
      expect(await store.head(key)).toBeNull();
    });

    it.runIf(options.checksSignatures)('refuses URLs with a tampered signature', async () => {
      const key = freshKey();
      await store.putBytes(key, new Uint8Array([1]), { contentType: 'application/octet-stream' });
      const download = await store.signDownload(key, { expiresInSeconds: 300 });
      expect((await fetch(tamperSignature(download.url))).status).toBe(403);
      const uploadKey = freshKey();
      const upload = await store.signUpload(uploadKey, {
        contentType: 'audio/wav',
        maxSizeBytes: 1024,
        expiresInSeconds: 300,
      });
      const put = await fetch(tamperSignature(upload.url), {
        method: 'PUT',
        headers: upload.headers,
        body: new Uint8Array([1]),
      });
      expect(put.status).toBe(403);
      expect(await store.head(uploadKey)).toBeNull();
    });
  });
}

/** The URL with the last character of its signature parameter (`signature`, `X-Amz-Signature`) changed. */
function tamperSignature(url: string): string {
  const parsed = new URL(url);
  const name = [...parsed.searchParams.keys()].find((param) => param.toLowerCase().endsWith('signature'));
  if (name === undefined) throw new Error(`no signature parameter in ${url}`);
  const signature = parsed.searchParams.get(name) ?? '';
  parsed.searchParams.set(name, `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
  return parsed.toString();
}

function expectWithinSeconds(actual: Date, expectedEpochMs: number, toleranceSeconds: number): void {
  expect(Math.abs(actual.getTime() - expectedEpochMs) / 1000).toBeLessThanOrEqual(toleranceSeconds);
}
