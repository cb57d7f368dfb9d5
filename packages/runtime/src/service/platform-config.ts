import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/**
 * The environment every Lacquer service reads (12-factor), with defaults for one machine.
 * Services extend it with their own variables.
 *
 * - `NATS_URL`: NATS servers, comma-separated (default `nats://127.0.0.1:4222`).
 * - `LOG_LEVEL`: pino level (default `info`).
 * - `HOST`, `PORT`: where the service's HTTP server (API, or health and metrics) listens.
 * - `LACQUER_BLOB_STORE`: `fs` (default) or `s3`.
 *   - fs: `LACQUER_BLOB_DIR` (shared by all services on the host; default
 *     `<tmpdir>/lacquer/blobs`), `LACQUER_PUBLIC_URL` (the
 *     gateway's address, for signed URLs), `LACQUER_SIGNING_SECRET` (≥ 32 characters).
 *   - s3: `S3_BUCKET`, `S3_REGION`, `S3_ENDPOINT` (MinIO, R2, …), `S3_FORCE_PATH_STYLE`;
 *     credentials from the AWS SDK's usual sources (`AWS_ACCESS_KEY_ID`, …).
 * - `LACQUER_READ_MODEL`: `kv` (JetStream KV, default) or `mongodb` with `MONGODB_URL` and
 *   `MONGODB_DATABASE` (default `lacquer`).
 */
export const platformEnv = z
  .object({
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().min(1).default('127.0.0.1'),
    LACQUER_BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
    LACQUER_BLOB_DIR: z
      .string()
      .min(1)
      .default(join(tmpdir(), 'lacquer', 'blobs')),
    LACQUER_PUBLIC_URL: z.url().default('http://127.0.0.1:8080'),
    LACQUER_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    S3_BUCKET: z.string().min(3).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ENDPOINT: z.url().optional(),
    S3_FORCE_PATH_STYLE: flag.default(false),
    LACQUER_READ_MODEL: z.enum(['kv', 'mongodb']).default('kv'),
    MONGODB_URL: z.string().min(1).optional(),
    MONGODB_DATABASE: z.string().min(1).default('lacquer'),
  })
  .superRefine((env, context) => {
    const require = (name: keyof typeof env, when: string): void => {
      if (env[name] === undefined)
        context.addIssue({ code: 'custom', path: [name], message: `required ${when}` });
    };
    if (env.LACQUER_BLOB_STORE === 'fs') require('LACQUER_SIGNING_SECRET', 'with LACQUER_BLOB_STORE=fs');
    if (env.LACQUER_BLOB_STORE === 's3') require('S3_BUCKET', 'with LACQUER_BLOB_STORE=s3');
    if (env.LACQUER_READ_MODEL === 'mongodb') require('MONGODB_URL', 'with LACQUER_READ_MODEL=mongodb');
  });

/** The validated platform settings. */
export type PlatformConfig = z.output<typeof platformEnv>;

/** `PORT` with a service's default; 0 lets the OS choose (the service logs where it listens). */
export const portEnv = (defaultPort: number) =>
  z.object({ PORT: z.coerce.number().int().min(0).max(65_535).default(defaultPort) });
