import type { Collection, Db } from 'mongodb';
import type { JobView } from '../jobs/job-view.ts';
import { guardStoreCall } from './read-model-unavailable.ts';

/** Where the MongoDB jobs read model keeps its collections. */
export interface MongoJobReadModelCollectionOptions {
  /** Put before each collection name (`<prefix>job_views`, `<prefix>idempotency_claims`). Default `''`. */
  readonly collectionPrefix?: string;
}

/**
 * One stored job view: the view as it is, under its ids, and a `revision` that every write
 * raises by 1 (the compare-and-set of `update`). Readers get `view` only, never `_id`.
 */
export interface JobViewDocument {
  readonly tenantId: string;
  readonly jobId: string;
  /** 1 on insert, +1 per update. */
  readonly revision: number;
  readonly view: JobView;
}

/** One idempotency claim; `keyHash` is the SHA-256 hex of the user's key (never the key). */
export interface IdempotencyClaimDocument {
  readonly tenantId: string;
  readonly keyHash: string;
  readonly jobId: string;
  readonly requestHash: string;
}

/** The two collections of the MongoDB jobs read model. */
export interface MongoJobReadModelCollections {
  readonly views: Collection<JobViewDocument>;
  readonly claims: Collection<IdempotencyClaimDocument>;
}

/** The read model's collections in `db`. */
export function mongoJobReadModelCollections(
  db: Db,
  options: MongoJobReadModelCollectionOptions = {},
): MongoJobReadModelCollections {
  const prefix = options.collectionPrefix ?? '';
  return {
    views: db.collection<JobViewDocument>(`${prefix}job_views`),
    claims: db.collection<IdempotencyClaimDocument>(`${prefix}idempotency_claims`),
  };
}

/**
 * Creates the read model's indexes unless they exist; safe on every start:
 * - views: unique `{tenantId: 1, jobId: -1}`, which is also the "a tenant's jobs newest
 *   first" index of `list` (job ids are UUIDv7, so descending id is newest first);
 *   `{tenantId: 1, view.status: 1}` for `countInFlight`; and `{jobId: -1}` over failed views
 *   only (partial), the "failed jobs of every tenant, newest first" of `listFailed`;
 * - claims: unique `{tenantId: 1, keyHash: 1}`.
 *
 * @throws LacquerError `READ_MODEL_UNAVAILABLE` (retryable) when MongoDB does not answer.
 */
export async function provisionMongoJobReadModel(
  db: Db,
  options: MongoJobReadModelCollectionOptions = {},
): Promise<void> {
  const { views, claims } = mongoJobReadModelCollections(db, options);
  await guardStoreCall('create its MongoDB indexes', async () => {
    await views.createIndex({ tenantId: 1, jobId: -1 }, { name: 'tenant_job_newest_first', unique: true });
    await views.createIndex({ tenantId: 1, 'view.status': 1 }, { name: 'tenant_status' });
    await views.createIndex(
      { jobId: -1 },
      { name: 'failed_newest_first', partialFilterExpression: { 'view.status': 'failed' } },
    );
    await claims.createIndex({ tenantId: 1, keyHash: 1 }, { name: 'tenant_key_hash', unique: true });
  });
}
