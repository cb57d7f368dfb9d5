import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { isLacquerError, LacquerError } from '@lacquer/errors';
import { writeFileAtomically } from './atomic-file-write.ts';
import { attachmentDisposition } from './attachment-disposition.ts';
import type { BlobStore, SignedUpload, StoredBlob } from './blob-store.ts';
import { createDigestMeter } from './digest-meter.ts';
import { assertExpiresInSeconds, assertUploadLimits } from './signed-url-options.ts';

/** Options of {@link createS3BlobStore}. */
export interface S3BlobStoreOptions {
  /**
   * A configured client (region, credentials; `endpoint` and `forcePathStyle: true` for MinIO,
   * R2, B2). For stores that do not understand `aws-chunked` uploads with trailing checksums
   * (older S3-compatibles, s3rver), build it with `requestChecksumCalculation: 'WHEN_REQUIRED'`.
   */
  readonly client: S3Client;
  readonly bucket: string;
  /** The clock presigned URLs are signed at; defaults to the system clock. */
  readonly now?: () => Date;
}

/**
 * A {@link BlobStore} on an S3 bucket through `@aws-sdk/client-s3`; signed URLs are SigV4
 * presigned URLs, so clients talk to the bucket directly.
 *
 * What S3 enforces, and what it cannot:
 * - `signUpload` signs `Content-Type` (`X-Amz-SignedHeaders=content-type;host`): a PUT with
 *   another type fails S3's signature check (403).
 * - A presigned PUT cannot say "at most N bytes" (only an exact `Content-Length`, which the
 *   client does not know when the URL is made; presigned POST policies can, but the port is a
 *   PUT). So `maxSizeBytes` is NOT enforced here: the gateway checks the stored size with
 *   `head()` before it accepts an upload for a job, and refuses with `UPLOAD_TOO_LARGE`.
 * - The SDK's default request checksum (a CRC32 of the empty body when presigning) is left
 *   out of presigned URLs: it would make every real upload fail.
 *
 * Errors: `NoSuchKey` / `NotFound` → `BLOB_NOT_FOUND`; anything else from S3 or the network →
 * `BLOB_UNAVAILABLE` (with the SDK error as cause).
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket } = options;
  const now = options.now ?? (() => new Date());

  const put = async (
    key: string,
    body: Uint8Array | Readable,
    contentLengthBytes: number,
    contentType: string,
  ): Promise<void> => {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: contentLengthBytes,
          ContentType: contentType,
        }),
      );
    } catch (error) {
      throw toBlobError(error, key, 'write');
    }
  };

  const presign = async (
    key: string,
    command: PutObjectCommand | GetObjectCommand,
    expiresInSeconds: number,
  ) => {
    const signingDate = now();
    try {
      const url = await getSignedUrl(client, command, {
        expiresIn: expiresInSeconds,
        signingDate,
        signableHeaders: new Set(['content-type']),
      });
      return { url, expiresAt: new Date(signingDate.getTime() + expiresInSeconds * 1000) };
    } catch (error) {
      throw toBlobError(error, key, 'sign');
    }
  };

  return {
    async putFile(key, path, { contentType }) {
      let sizeBytes: number;
      try {
        sizeBytes = (await stat(path)).size;
      } catch (error) {
        throw toBlobError(error, key, 'read the source file of');
      }
      const meter = createDigestMeter();
      const source = createReadStream(path);
      source.on('error', (error) => meter.destroy(error));
      try {
        await put(key, source.pipe(meter), sizeBytes, contentType);
      } finally {
        source.destroy();
      }
      const stored = meter.digest();
      if (stored.sizeBytes !== sizeBytes) {
        throw new LacquerError(
          'BLOB_UNAVAILABLE',
          `the file for "${key}" changed size while it was uploaded`,
          {
            details: { key, path, expectedSizeBytes: sizeBytes, sentSizeBytes: stored.sizeBytes },
          },
        );
      }
      return stored;
    },

    async putBytes(key, bytes, { contentType }): Promise<StoredBlob> {
      await put(key, bytes, bytes.byteLength, contentType);
      return { sizeBytes: bytes.byteLength, sha256Hex: createHash('sha256').update(bytes).digest('hex') };
    },

    async getToFile(key, path) {
      const body = await getBody(key);
      try {
        await writeFileAtomically(path, body);
      } catch (error) {
        body.destroy();
        throw toBlobError(error, key, 'copy');
      }
    },

    async getBytes(key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (response.Body === undefined) throw new Error('S3 answered GetObject without a body');
        return await response.Body.transformToByteArray();
      } catch (error) {
        throw toBlobError(error, key, 'read');
      }
    },

    async head(key) {
      try {
        const response = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { sizeBytes: response.ContentLength ?? 0, contentType: response.ContentType ?? null };
      } catch (error) {
        const mapped = toBlobError(error, key, 'stat');
        if (isLacquerError(mapped, 'BLOB_NOT_FOUND')) return null;
        throw mapped;
      }
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        const mapped = toBlobError(error, key, 'delete');
        if (isLacquerError(mapped, 'BLOB_NOT_FOUND')) return;
        throw mapped;
      }
    },

    async signUpload(key, { contentType, maxSizeBytes, expiresInSeconds }): Promise<SignedUpload> {
      assertUploadLimits({ contentType, maxSizeBytes });
      assertExpiresInSeconds(expiresInSeconds);
      const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType });
      command.middlewareStack.add(dropRequestChecksums, {
        step: 'build',
        priority: 'low',
        name: 'lacquerDropPresignedChecksums',
      });
      const signed = await presign(key, command, expiresInSeconds);
      return { ...signed, method: 'PUT', headers: { 'Content-Type': contentType } };
    },

    async signDownload(key, { expiresInSeconds, filename }) {
      assertExpiresInSeconds(expiresInSeconds);
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(filename === undefined ? {} : { ResponseContentDisposition: attachmentDisposition(filename) }),
      });
      return presign(key, command, expiresInSeconds);
    },
  };

  async function getBody(key: string): Promise<Readable> {
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (response.Body === undefined) throw new Error('S3 answered GetObject without a body');
      return response.Body as Readable;
    } catch (error) {
      throw toBlobError(error, key, 'read');
    }
  }
}

/**
 * Build-step middleware that removes the flexible-checksum headers (`x-amz-checksum-*`,
 * `x-amz-sdk-checksum-algorithm`) the SDK adds by default: in a presigned URL they would be
 * hoisted into the query as the checksum of an empty body.
 */
const dropRequestChecksums =
  <Input extends object, Output extends object>(
    next: (args: { input: Input; request: unknown }) => Promise<Output>,
  ) =>
  async (args: { input: Input; request: unknown }): Promise<Output> => {
    const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
    if (headers !== undefined) {
      for (const name of Object.keys(headers)) {
        if (/^x-amz-(sdk-)?checksum-/i.test(name)) delete headers[name];
      }
    }
    return next(args);
  };

function toBlobError(error: unknown, key: string, operation: string): LacquerError {
  if (isLacquerError(error)) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NoSuchKey' || name === 'NotFound') {
    return new LacquerError('BLOB_NOT_FOUND', `no blob under "${key}"`, { cause: error, details: { key } });
  }
  return new LacquerError('BLOB_UNAVAILABLE', `the blob store could not ${operation} "${key}"`, {
    cause: error,
    details: { key, operation },
  });
}
