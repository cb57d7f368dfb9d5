import { isSubjectToken } from '@lacquer/contracts';
import { JetStreamApiCodes, jetstream } from '@nats-io/jetstream';
import { type KV, type KvEntry, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { JobView } from '../jobs/job-view.ts';
import { idempotencyKeyHash } from './idempotency-key-hash.ts';
import { encodeJobPageCursor, parseJobPageRequest } from './job-page-request.ts';
import type { IdempotencyClaim, JobPage, JobReadModel } from './job-read-model.ts';
import { areJobViewIds, assertJobViewIds } from './job-view-ids.ts';
import { isInFlight } from './job-view-status.ts';
import {
  DEFAULT_JOB_READ_MODEL_BUCKET,
  DEFAULT_KV_TIMEOUT_MS,
  type KvJobReadModelBucketOptions,
} from './kv-job-read-model-bucket.ts';
import { updateOptimistically, type VersionedJobView } from './optimistic-update.ts';
import { guardStoreCall } from './read-model-unavailable.ts';

/** Options of {@link createKvJobReadModel}. */
export interface KvJobReadModelOptions extends KvJobReadModelBucketOptions {
  /** Compare-and-set tries of one `update` before it gives up. Default 50. */
  readonly maxUpdateAttempts?: number;
}

/**
 * Views: `view.<tenantId>.<jobId>`; claims: `idem.<tenantId>.<sha256 hex of the key>`; index
 * markers: `live.<tenantId>.<jobId>` while a job is queued or processing, and
 * `failed.<tenantId>.<jobId>` while it is failed.
 */
const VIEW_PREFIX = 'view';
const CLAIM_PREFIX = 'idem';
const LIVE_PREFIX = 'live';
const FAILED_PREFIX = 'failed';

/** The prefix of an index marker. */
type IndexPrefix = typeof LIVE_PREFIX | typeof FAILED_PREFIX;

const viewKey = (tenantId: string, jobId: string): string => `${VIEW_PREFIX}.${tenantId}.${jobId}`;
const indexKey = (prefix: IndexPrefix, tenantId: string, jobId: string): string =>
  `${prefix}.${tenantId}.${jobId}`;

/** The index a view belongs under, if any. */
function indexOf(view: JobView | null): IndexPrefix | null {
  if (view === null) return null;
  if (isInFlight(view)) return LIVE_PREFIX;
  return view.status === 'failed' ? FAILED_PREFIX : null;
}

/** One job an index marker names. */
interface IndexedJob {
  readonly tenantId: string;
  readonly jobId: string;
}

/** The value of an index marker (its key says everything). */
const MARKER = new Uint8Array(0);

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

/** Sorts job ids newest first (UUIDv7: descending). */
const newestFirst = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

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
 * `clearViews` purges the `view.>` subjects (and the index markers) of the stream; claims stay.
 *
 * `countInFlight` and `listFailed` read index markers, empty entries under
 * `live.<tenantId>.<jobId>` (queued or processing) and `failed.<tenantId>.<jobId>`, so they
 * cost what is in flight or failed, not every job ever stored. A writer puts the marker of the
 * index a view enters *before* writing the view, and after the write purges the marker of the
 * index it left, bounded by the view's new revision (a stream sequence: markers put later, by a
 * writer that moved the job on again, stay). So a view in an index always has its marker.
 * A marker can outlive its view's state when a writer stops between its two writes: every
 * write of a finished view purges its `live` marker again (the projector writes it again when
 * the event is redelivered), and `listFailed` checks each `failed` marker's view and purges
 * the markers older than the view that disowns them. `countInFlight` is one request: the
 * number of the tenant's `live` subjects in the bucket's stream (stream info with a subject
 * filter). Views stored before the markers existed are not counted until the read model is
 * rebuilt (`rebuildJobViews`).
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
  const streamName = `KV_${bucketName}`;
  const store = <T>(operation: string, call: (kv: KV) => Promise<T>, details = {}): Promise<T> =>
    guardStoreCall(operation, async () => call(await bucket()), { bucket: bucketName, ...details });

  /** Inserts `value` under `key` if absent: its revision, or `null` when the key holds a value. */
  const insert = (kv: KV, key: string, value: unknown): Promise<number | null> =>
    kv.create(key, json(value)).catch((error: unknown) => {
      if (isWrongLastSequence(error)) return null;
      throw error;
    });

  /** Replaces `key`'s value if it is still at `revision`: the new revision, or `null` when it moved on. */
  const replace = (kv: KV, key: string, value: unknown, revision: number): Promise<number | null> =>
    kv.update(key, json(value), revision).catch((error: unknown) => {
      if (isWrongLastSequence(error)) return null;
      throw error;
    });

  /** Removes the markers under `keys` that were written before stream sequence `beforeSequence`. */
  const purgeMarkers = async (keys: readonly string[], beforeSequence: number): Promise<void> => {
    if (keys.length === 0) return;
    const jsm = await js.jetstreamManager(false);
    await Promise.all(
      keys.map((key) =>
        jsm.streams.purge(streamName, { filter: `$KV.${bucketName}.${key}`, seq: beforeSequence }),
      ),
    );
  };

  /**
   * Writes `next` over `current` (insert when nothing is stored): the marker of an index it
   * enters first, the view, then the purge of the markers it is not under: the one it left,
   * and for a finished job always the `live` one (which a writer that stopped between its
   * view write and its purge left behind; the event is redelivered and written again).
   * @returns `false` when another writer got in first (nothing written but maybe a marker).
   */
  const writeView = async (kv: KV, next: JobView, current: VersionedJobView): Promise<boolean> => {
    const { tenantId, jobId } = next;
    const entering = indexOf(next);
    const leaving = indexOf(current.view);
    if (entering !== null && entering !== leaving) await kv.put(indexKey(entering, tenantId, jobId), MARKER);
    const key = viewKey(tenantId, jobId);
    const revision =
      current.revision === 0 ? await insert(kv, key, next) : await replace(kv, key, next, current.revision);
    if (revision === null) return false;
    const stale = new Set<IndexPrefix>();
    if (leaving !== null && leaving !== entering) stale.add(leaving);
    if (next.status === 'completed' || next.status === 'failed') stale.add(LIVE_PREFIX);
    await purgeMarkers(
      [...stale].map((prefix) => indexKey(prefix, tenantId, jobId)),
      revision,
    );
    return true;
  };

  /** The jobs the markers matching `filter` (`<prefix>.<tenant or *>.*`) name. */
  const markedJobs = async (kv: KV, filter: string): Promise<IndexedJob[]> => {
    const jobs: IndexedJob[] = [];
    for await (const key of await kv.keys(filter)) {
      const [, tenantId, jobId] = key.split('.');
      if (tenantId !== undefined && jobId !== undefined) jobs.push({ tenantId, jobId });
    }
    return jobs;
  };

  /**
   * The views of `jobs` that really are in `prefix`'s index, in the order given. A marker whose
   * view has left the index is purged up to that view's revision (a marker without a view may
   * belong to a `create` under way and stays).
   */
  const checkedViews = async (
    kv: KV,
    prefix: IndexPrefix,
    jobs: readonly IndexedJob[],
  ): Promise<JobView[]> => {
    const entries = await Promise.all(jobs.map(({ tenantId, jobId }) => kv.get(viewKey(tenantId, jobId))));
    const views: JobView[] = [];
    const stale: Promise<void>[] = [];
    entries.forEach((entry, index) => {
      const view = storedJson<JobView>(entry);
      const job = jobs[index];
      if (view !== null && indexOf(view) === prefix) views.push(view);
      else if (view !== null && entry !== null && job !== undefined) {
        stale.push(purgeMarkers([indexKey(prefix, job.tenantId, job.jobId)], entry.revision));
      }
    });
    await Promise.all(stale);
    return views;
  };

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
      return store('create a job view', (kv) => writeView(kv, view, { view: null, revision: 0 }), {
        tenantId: view.tenantId,
        jobId: view.jobId,
      });
    },

    async update(tenantId, jobId, change) {
      assertJobViewIds(tenantId, jobId);
      return updateOptimistically(
        {
          read: () => readView(tenantId, jobId),
          write: (next, current) =>
            store('update a job view', (kv) => writeView(kv, next, current), { tenantId, jobId }),
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
          jobIds.sort(newestFirst);
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

    async countInFlight(tenantId) {
      if (!isSubjectToken(tenantId)) return 0;
      return store(
        'count the jobs in flight',
        async () => {
          // One request, whatever the count: the stream's subjects under the tenant's markers.
          const jsm = await js.jetstreamManager(false);
          const info = await jsm.streams.info(streamName, {
            subjects_filter: `$KV.${bucketName}.${indexKey(LIVE_PREFIX, tenantId, '*')}`,
          });
          return Object.values(info.state.subjects ?? {}).filter((messages) => messages > 0).length;
        },
        { tenantId },
      );
    },

    async listFailed(listOptions): Promise<JobPage> {
      const { limit, beforeJobId } = parseJobPageRequest(listOptions);
      return store('list the failed jobs', async (kv) => {
        const candidates = (await markedJobs(kv, `${FAILED_PREFIX}.*.*`))
          .filter(({ jobId }) => beforeJobId === null || jobId < beforeJobId)
          .sort((a, b) => newestFirst(a.jobId, b.jobId) || newestFirst(a.tenantId, b.tenantId));
        // One more than the page, to know whether a next page exists; markers whose views have
        // moved on are skipped, so read on until enough are found.
        const found: JobView[] = [];
        for (let start = 0; found.length <= limit && start < candidates.length; ) {
          const batch = candidates.slice(start, start + limit + 1 - found.length);
          start += batch.length;
          found.push(...(await checkedViews(kv, FAILED_PREFIX, batch)));
        }
        const jobs = found.slice(0, limit);
        const last = jobs.at(-1);
        return {
          jobs,
          nextCursor: found.length > limit && last !== undefined ? encodeJobPageCursor(last.jobId) : null,
        };
      });
    },

    async claimIdempotencyKey(tenantId, key, claim) {
      assertJobViewIds(tenantId);
      const claimKey = `${CLAIM_PREFIX}.${tenantId}.${idempotencyKeyHash(key)}`;
      const stored: IdempotencyClaim = { jobId: claim.jobId, requestHash: claim.requestHash };
      return store(
        'claim an idempotency key',
        async (kv) => {
          if ((await insert(kv, claimKey, stored)) !== null) return null;
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
        for (const prefix of [VIEW_PREFIX, LIVE_PREFIX, FAILED_PREFIX]) {
          await jsm.streams.purge(streamName, { filter: `$KV.${bucketName}.${prefix}.>` });
        }
      });
    },
  };
}
