import { jetstream, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { guardStoreCall } from './read-model-unavailable.ts';

/** The KV bucket of the jobs read model unless configured otherwise. */
export const DEFAULT_JOB_READ_MODEL_BUCKET = 'lacquer-jobs';

/** Where the KV jobs read model lives and how long a request may take. */
export interface KvJobReadModelBucketOptions {
  /** Bucket name: letters, digits, `-`, `_`. Default {@link DEFAULT_JOB_READ_MODEL_BUCKET}. */
  readonly bucket?: string;
  /** How long one JetStream request may wait for an answer, in ms. Default 5000. */
  readonly timeoutMs?: number;
}

/** Options of {@link provisionKvJobReadModel}. */
export interface ProvisionKvJobReadModelOptions extends KvJobReadModelBucketOptions {
  /** Stream replicas: 1, 3 or 5 (a clustered deployment). Default 1. */
  readonly replicas?: number;
}

/** The default of {@link KvJobReadModelBucketOptions.timeoutMs}, in ms. */
export const DEFAULT_KV_TIMEOUT_MS = 5_000;

/**
 * Creates the read model's KV bucket (stream `KV_<bucket>`, file storage, history 1) unless
 * it exists; safe to call on every start. An existing bucket is used as it is.
 * Works on nats-server 2.9 and later.
 *
 * @throws LacquerError `READ_MODEL_UNAVAILABLE` (retryable) when JetStream does not answer.
 */
export async function provisionKvJobReadModel(
  nc: NatsConnection,
  options: ProvisionKvJobReadModelOptions = {},
): Promise<void> {
  const bucket = options.bucket ?? DEFAULT_JOB_READ_MODEL_BUCKET;
  const kvm = new Kvm(jetstream(nc, { timeout: options.timeoutMs ?? DEFAULT_KV_TIMEOUT_MS }));
  await guardStoreCall(
    'create its KV bucket',
    () =>
      kvm.create(bucket, {
        history: 1,
        storage: StorageType.File,
        replicas: options.replicas ?? 1,
        description: 'Lacquer job views and idempotency claims',
      }),
    { bucket },
  );
}
