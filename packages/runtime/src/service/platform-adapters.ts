import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { NatsConnection } from '@nats-io/transport-node';
import { MongoClient } from 'mongodb';
import type { BlobStore } from '../blob/blob-store.ts';
import { createFsBlobStore, type FsBlobStore } from '../blob/fs-blob-store.ts';
import { createS3BlobStore } from '../blob/s3-blob-store.ts';
import type { JobReadModel } from '../read-model/job-read-model.ts';
import { createKvJobReadModel } from '../read-model/kv-job-read-model.ts';
import { provisionKvJobReadModel } from '../read-model/kv-job-read-model-bucket.ts';
import { createMongoJobReadModel } from '../read-model/mongo-job-read-model.ts';
import { provisionMongoJobReadModel } from '../read-model/mongo-job-read-model-collections.ts';
import type { PlatformConfig } from './platform-config.ts';

/** The blob store the settings name; `fs` is an {@link FsBlobStore} (the gateway serves its URLs). */
export function createBlobStoreFromConfig(
  config: PlatformConfig,
): { kind: 'fs'; store: FsBlobStore } | { kind: 's3'; store: BlobStore } {
  if (config.LACQUER_BLOB_STORE === 's3') {
    const client = new S3Client({
      region: config.S3_REGION,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      // Stores that predate aws-chunked trailing checksums (MinIO before 2024, s3rver) need this.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    });
    return { kind: 's3', store: createS3BlobStore({ client, bucket: config.S3_BUCKET ?? '' }) };
  }
  return {
    kind: 'fs',
    store: createFsBlobStore({
      rootDir: resolve(config.LACQUER_BLOB_DIR),
      publicBaseUrl: config.LACQUER_PUBLIC_URL,
      signingSecret: config.LACQUER_SIGNING_SECRET ?? '',
    }),
  };
}

/**
 * The jobs read model the settings name, provisioned (KV bucket or MongoDB indexes);
 * `close` releases what it opened.
 */
export async function openReadModelFromConfig(
  config: PlatformConfig,
  nc: NatsConnection,
): Promise<{ readModel: JobReadModel; close: () => Promise<void> }> {
  if (config.LACQUER_READ_MODEL === 'mongodb') {
    const client = await new MongoClient(config.MONGODB_URL ?? '').connect();
    const db = client.db(config.MONGODB_DATABASE);
    await provisionMongoJobReadModel(db);
    return { readModel: createMongoJobReadModel(db), close: () => client.close() };
  }
  await provisionKvJobReadModel(nc);
  return { readModel: createKvJobReadModel(nc), close: async () => {} };
}
