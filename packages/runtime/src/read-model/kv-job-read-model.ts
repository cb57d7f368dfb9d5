import { isSubjectToken } from '@lacquer/contracts';
import { JetStreamApiCodes, jetstream } from '@nats-io/jetstream';
import { type KV, type KvEntry, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { JobView } from '../jobs/job-view.ts';
import { idempotencyKeyHash } from './idempotency-key-hash.ts';
import { encodeJobPageCursor, parseJobPageRequest } from './job-page-request.ts';
import type { IdempotencyClaim, JobPage, JobReadModel } from './job-read-model.ts';
import { areJobViewIds, assertJobViewIds } from './job-view-ids.ts';
import {
  DEFAULT_JOB_READ_MODEL_BUCKET,
  DEFAULT_KV_TIMEOUT_MS,
  type KvJobReadModelBucketOptions,
} from './kv-job-read-model-bucket.ts';
import { insertUnlessTaken, updateOptimistically, type VersionedJobView } from './optimistic-update.ts';
import { guardStoreCall } from './read-model-unavailable.ts';

/** Options of {@link createKvJobReadModel}. */
export interface KvJobReadModelOptions extends KvJobReadModelBucketOptions {
  /** Compare-and-set tries of one `update` before it gives up. Default 50. */
  readonly maxUpdateAttempts?: number;
}

/** Views: `view.<tenantId>.<jobId>`; claims: `idem.<tenantId>.<sha256 hex of the key>`. */
const VIEW_PREFIX = 'view';
const CLAIM_PREFIX = 'idem';

const viewKey = (tenantId: string, jobId: string): string => `${VIEW_PREFIX}.${tenantId}.${jobId}`;

const WRONG_LAST_SEQUENCE: readonly number[] = [
  JetStreamApiCodes.StreamWrongLastSequence,
  JetStreamApiCodes.StreamWrongLastSequenceUnknown,
];

/** True for JetStream's answer to a write whose expected last subject sequence is stale. */
function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'JetStreamApiError' &&
    WRONG_LAST_SEQUENCE.includes((error as { code?: unknown }).code as number)
  );
}

const encoder = new TextEncoder();
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/** A KV entry's JSON value, or `null` for none or a delete/purge marker. */
function storedJson<T>(entry: KvEntry | null): T | null {
  if (entry?.operation !== 'PUT') return null;
  return entry.json<T>();
}

/**
 * The jobs read model on a JetStream KV bucket (the embedded default). Keys:
 * `view.<tenantId>.<jobId>` holds a job's view as JSON, so another tenant's `get` finds
 * nothing and a tenant's list is the keys under `view.<tenantId>.*`;
 * `idem.<tenantId>.<sha256 hex>` holds an idempotency claim (the user's key is only ever
 * hashed). `create` and claims are insert-if-absent; `update` is a compare-and-set on the
 * key's last revision (`Nats-Expected-Last-Subject-Sequence`), retried on conflict.
 * `clearViews` purges the `view.>` subjects of the stream; claims stay.
 *
 * The bucket must exist ({@link provisionKvJobReadModel}); it is bound on first use. Tenant
 * and job ids are subject tokens ({@link isSubjectToken}); reads of other ids find nothing.
 * Works on nats-server 2.9 and later. The connection is the caller's: this never closes it.
 *
 * Errors: a failed or timed-out request (`timeoutMs`, also while the connection is down and
 * reconnecting) is LacquerError `READ_MODEL_UNAVAILABLE` (retryable) with the NATS error as
 * cause; `list` options out of range are `REQUEST_INVALID`.
 */
export function createKvJobReadModel(nc: NatsConnection, options: KvJobReadModelOptions = {}): JobReadModel {
  const bucketName = options.bucket ?? DEFAULT_JOB_READ_MODEL_BUCKET;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KV_TIMEOUT_MS;
  const maxAttempts = options.maxUpdateAttempts ?? 50;
  const js = jetstream(nc, { timeout: timeoutMs });
  const kvm = new Kvm(js);
  let bound: Promise<KV> | null = null;

  /** Binds the bucket once; a failed bind is tried again on the next call. */
  const bucket = (): Promise<KV> => {
    bound ??= kvm.open(bucketName).catch((error: unknown) => {
      bound = null;
      throw error;
    });
    return bound;
  };
  const store = <T>(operation: string, call: (kv: KV) => Promise<T>, details = {}): Promise<T> =>
    guardStoreCall(operation, async () => call(await bucket()), { bucket: bucketName, ...details });

  /** Inserts `value` under `key` if absent; `false` when the key holds a value. */
  const insert = (kv: KV, key: string, value: unknown): Promise<boolean> =>
    insertUnlessTaken(() => kv.create(key, json(value)), isWrongLastSequence);

  const readView = (tenantId: string, jobId: string): Promise<VersionedJobView> =>
    store(
      'read a job view',
      async (kv) => {
        const entry = await kv.get(viewKey(tenantId, jobId));
        return { view: storedJson<JobView>(entry), revision: entry?.revision ?? 0 };
      },
      { tenantId, jobId },
    );

  return {
    async get(tenantId, jobId) {
      if (!areJobViewIds(tenantId, jobId)) return null;
      return (await readView(tenantId, jobId)).view;
    },

    async create(view) {
      assertJobViewIds(view.tenantId, view.jobId);
      return store('create a job view', (kv) => insert(kv, viewKey(view.tenantId, view.jobId), view), {
        tenantId: view.tenantId,
        jobId: view.jobId,
      });
    },

    async update(tenantId, jobId, change) {
      assertJobViewIds(tenantId, jobId);
      const key = viewKey(tenantId, jobId);
      return updateOptimistically(
        {
          read: () => readView(tenantId, jobId),
          write: (next, current) =>
            store(
              'update a job view',
              (kv) =>
                current.revision === 0
                  ? insert(kv, key, next)
                  : kv.update(key, json(next), current.revision).then(
                      () => true,
                      (error: unknown) => {
                        if (isWrongLastSequence(error)) return false;
                        throw error;
                      },
                    ),
              { tenantId, jobId },
            ),
        },
        change,
        { tenantId, jobId },
        { maxAttempts, maxBackoffMs: 50, details: { bucket: bucketName, tenantId, jobId } },
      );
    },

    async list(tenantId, listOptions): Promise<JobPage> {
      const { limit, beforeJobId } = parseJobPageRequest(listOptions);
      if (!isSubjectToken(tenantId)) return { jobs: [], nextCursor: null };
      return store(
        'list job views',
        async (kv) => {
          const prefixLength = `${VIEW_PREFIX}.${tenantId}.`.length;
          const jobIds: string[] = [];
          for await (const key of await kv.keys(`${VIEW_PREFIX}.${tenantId}.*`)) {
            const jobId = key.slice(prefixLength);
            if (beforeJobId === null || jobId < beforeJobId) jobIds.push(jobId);
          }
          jobIds.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
          const pageIds = jobIds.slice(0, limit);
          const views = await Promise.all(
            pageIds.map(async (jobId) => storedJson<JobView>(await kv.get(viewKey(tenantId, jobId)))),
          );
          const lastJobId = pageIds.at(-1);
          return {
            jobs: views.filter((view): view is JobView => view !== null),
            nextCursor:
              jobIds.length > limit && lastJobId !== undefined ? encodeJobPageCursor(lastJobId) : null,
          };
        },
        { tenantId },
      );
    },

    async claimIdempotencyKey(tenantId, key, claim) {
      assertJobViewIds(tenantId);
      const claimKey = `${CLAIM_PREFIX}.${tenantId}.${idempotencyKeyHash(key)}`;
      const stored: IdempotencyClaim = { jobId: claim.jobId, requestHash: claim.requestHash };
      return store(
        'claim an idempotency key',
        async (kv) => {
          if (await insert(kv, claimKey, stored)) return null;
          const earlier = storedJson<IdempotencyClaim>(await kv.get(claimKey));
          if (!earlier) throw new Error(`the claim ${claimKey} exists but could not be read`);
          return { jobId: earlier.jobId, requestHash: earlier.requestHash };
        },
        { tenantId },
      );
    },

    async clearViews() {
      await store('clear the job views', async () => {
        const jsm = await js.jetstreamManager(false);
        await jsm.streams.purge(`KV_${bucketName}`, { filter: `$KV.${bucketName}.${VIEW_PREFIX}.>` });
      });
    },
  };
}
