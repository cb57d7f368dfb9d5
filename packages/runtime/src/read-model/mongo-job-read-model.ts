import { isSubjectToken } from '@lacquer/contracts';
import type { Db, Filter } from 'mongodb';
import type { JobView } from '../jobs/job-view.ts';
import { idempotencyKeyHash } from './idempotency-key-hash.ts';
import { encodeJobPageCursor, parseJobPageRequest } from './job-page-request.ts';
import type { IdempotencyClaim, JobPage, JobReadModel } from './job-read-model.ts';
import { areJobViewIds, assertJobViewIds } from './job-view-ids.ts';
import { IN_FLIGHT_STATUSES } from './job-view-status.ts';
import {
  type JobViewDocument,
  type MongoJobReadModelCollectionOptions,
  mongoJobReadModelCollections,
} from './mongo-job-read-model-collections.ts';
import { insertUnlessTaken, updateOptimistically, type VersionedJobView } from './optimistic-update.ts';
import { guardStoreCall } from './read-model-unavailable.ts';

/** Options of {@link createMongoJobReadModel}. */
export interface MongoJobReadModelOptions extends MongoJobReadModelCollectionOptions {
  /** Compare-and-set tries of one `update` before it gives up. Default 50. */
  readonly maxUpdateAttempts?: number;
}

/** MongoDB's error code for a write that breaks a unique index. */
const DUPLICATE_KEY = 11000;

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Reads return the stored view only: never `_id`, `revision` or the envelope. */
const VIEW_ONLY = { projection: { _id: 0, view: 1 } } as const;

/**
 * The jobs read model on MongoDB (production). A view is stored in an envelope
 * `{tenantId, jobId, revision, view}` under a unique `{tenantId, jobId}` index, so another
 * tenant's `get` finds nothing; `create` and claims are inserts where a duplicate key (11000)
 * means "exists"; `update` is a compare-and-set on `revision`, retried on conflict; `list`
 * reads `{tenantId}` sorted by `jobId` descending (UUIDv7: newest first) from the cursor's
 * job id on. Claims store the SHA-256 of the key, never the key. `countInFlight` counts
 * `{tenantId, view.status}` on its index; `listFailed` reads the partial index of failed views
 * by `jobId` descending.
 *
 * The indexes must exist ({@link provisionMongoJobReadModel}). Tenant and job ids are subject
 * tokens, as in every adapter (reads of other ids find nothing). Timeouts are the client's
 * (`serverSelectionTimeoutMS`, `timeoutMS` of the `MongoClient` that made `db`).
 *
 * Errors: a failed or timed-out command is LacquerError `READ_MODEL_UNAVAILABLE` (retryable)
 * with the driver's error as cause; `list` options out of range are `REQUEST_INVALID`.
 */
export function createMongoJobReadModel(db: Db, options: MongoJobReadModelOptions = {}): JobReadModel {
  const { views, claims } = mongoJobReadModelCollections(db, options);
  const maxAttempts = options.maxUpdateAttempts ?? 50;

  /** Inserts a document; `false` when its unique key is taken. */
  const insert = (write: () => Promise<unknown>): Promise<boolean> =>
    insertUnlessTaken(write, isDuplicateKey);

  const readView = (tenantId: string, jobId: string): Promise<VersionedJobView> =>
    guardStoreCall(
      'read a job view',
      async () => {
        const document = await views.findOne(
          { tenantId, jobId },
          { projection: { _id: 0, view: 1, revision: 1 } },
        );
        return document ? { view: document.view, revision: document.revision } : { view: null, revision: 0 };
      },
      { tenantId, jobId },
    );

  /** One page of the views `filter` selects, newest (highest job id) first. */
  const newestFirst = async (filter: Filter<JobViewDocument>, limit: number): Promise<JobPage> => {
    const documents = await views
      .find(filter, VIEW_ONLY)
      .sort({ jobId: -1 })
      .limit(limit + 1)
      .toArray();
    const jobs = documents.slice(0, limit).map((document) => document.view);
    const last = jobs.at(-1);
    return { jobs, nextCursor: documents.length > limit && last ? encodeJobPageCursor(last.jobId) : null };
  };

  return {
    async get(tenantId, jobId) {
      if (!areJobViewIds(tenantId, jobId)) return null;
      return (await readView(tenantId, jobId)).view;
    },

    async create(view) {
      const { tenantId, jobId } = view;
      assertJobViewIds(tenantId, jobId);
      return guardStoreCall(
        'create a job view',
        () => insert(() => views.insertOne({ tenantId, jobId, revision: 1, view })),
        { tenantId, jobId },
      );
    },

    async update(tenantId, jobId, change) {
      assertJobViewIds(tenantId, jobId);
      return updateOptimistically(
        {
          read: () => readView(tenantId, jobId),
          write: (next: JobView, current) =>
            guardStoreCall(
              'update a job view',
              async () => {
                if (current.revision === 0) {
                  return insert(() => views.insertOne({ tenantId, jobId, revision: 1, view: next }));
                }
                const result = await views.updateOne(
                  { tenantId, jobId, revision: current.revision },
                  { $set: { view: next, revision: current.revision + 1 } },
                );
                return result.matchedCount === 1;
              },
              { tenantId, jobId },
            ),
        },
        change,
        { tenantId, jobId },
        { maxAttempts, maxBackoffMs: 50, details: { tenantId, jobId } },
      );
    },

    async list(tenantId, listOptions): Promise<JobPage> {
      const { limit, beforeJobId } = parseJobPageRequest(listOptions);
      const filter = beforeJobId === null ? { tenantId } : { tenantId, jobId: { $lt: beforeJobId } };
      return guardStoreCall('list job views', () => newestFirst(filter, limit), { tenantId });
    },

    async countInFlight(tenantId) {
      if (!isSubjectToken(tenantId)) return 0;
      return guardStoreCall(
        'count the jobs in flight',
        () => views.countDocuments({ tenantId, 'view.status': { $in: [...IN_FLIGHT_STATUSES] } }),
        { tenantId },
      );
    },

    async listFailed(listOptions): Promise<JobPage> {
      const { limit, beforeJobId } = parseJobPageRequest(listOptions);
      const failed = { 'view.status': 'failed' as const };
      const filter = beforeJobId === null ? failed : { ...failed, jobId: { $lt: beforeJobId } };
      return guardStoreCall('list the failed jobs', () => newestFirst(filter, limit));
    },

    async claimIdempotencyKey(tenantId, key, claim) {
      assertJobViewIds(tenantId);
      const keyHash = idempotencyKeyHash(key);
      return guardStoreCall(
        'claim an idempotency key',
        async (): Promise<IdempotencyClaim | null> => {
          const document = { tenantId, keyHash, jobId: claim.jobId, requestHash: claim.requestHash };
          if (await insert(() => claims.insertOne(document))) return null;
          const earlier = await claims.findOne({ tenantId, keyHash }, { projection: { _id: 0 } });
          if (!earlier) throw new Error(`the claim of ${tenantId}/${keyHash} exists but could not be read`);
          return { jobId: earlier.jobId, requestHash: earlier.requestHash };
        },
        { tenantId },
      );
    },

    async clearViews() {
      await guardStoreCall('clear the job views', () => views.deleteMany({}));
    },
  };
}
