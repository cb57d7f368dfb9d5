import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

/** An in-process s3rver on loopback with a temporary directory. */
export interface S3rverHarness {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A client for it: path-style, credentials `S3RVER`/`S3RVER`, checksums only when required. */
  readonly client: S3Client;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** The slice of s3rver 3.7's API used here (it ships no types). */
interface S3rverInstance {
  run(): Promise<{ readonly address: string; readonly port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/**
 * Starts s3rver 3.7 with `buckets` created, on 127.0.0.1 and a port the OS picks.
 *
 * The client uses `requestChecksumCalculation: 'WHEN_REQUIRED'`: s3rver stores `aws-chunked`
 * bodies (the SDK's default for streamed uploads with trailing checksums) verbatim, framing
 * included. Note that s3rver checks the expiry of SigV4 presigned URLs, not their signature
 * or signed headers.
 */
export async function startS3rver(buckets: readonly string[]): Promise<S3rverHarness> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(tmpdir(), 'lacquer-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
