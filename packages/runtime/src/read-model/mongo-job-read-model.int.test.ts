import { randomUUID } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoJobReadModel } from './mongo-job-read-model.ts';
import { provisionMongoJobReadModel } from './mongo-job-read-model-collections.ts';
import { describeJobReadModelContract } from './test-support/job-read-model-contract.ts';

/** A MongoDB to test against, e.g. `mongodb://127.0.0.1:27017`; without it this file skips. */
const url = process.env.MONGODB_URL;

describe.skipIf(url)('MongoDB job read model', () => {
  it.skip('needs a MongoDB server: set MONGODB_URL (e.g. mongodb://127.0.0.1:27017) to run the contract', () => {});
});

describe.skipIf(!url)('MongoDB job read model', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = new MongoClient(url ?? '', { serverSelectionTimeoutMS: 5_000 });
    await client.connect();
    db = client.db(`lacquer_test_${randomUUID().slice(0, 8)}`);
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  describeJobReadModelContract('MongoDB', async () => {
    const collectionPrefix = `t${randomUUID().slice(0, 8)}_`;
    await provisionMongoJobReadModel(db, { collectionPrefix });
    return createMongoJobReadModel(db, { collectionPrefix });
  });

  it('provisioning is idempotent', async () => {
    const collectionPrefix = `t${randomUUID().slice(0, 8)}_`;

    await provisionMongoJobReadModel(db, { collectionPrefix });
    await provisionMongoJobReadModel(db, { collectionPrefix });

    const names = (await db.collection(`${collectionPrefix}job_views`).indexes()).map((index) => index.name);
    expect(names).toContain('tenant_job_newest_first');
  });

  it('a server that does not answer is READ_MODEL_UNAVAILABLE (retryable)', async () => {
    const unreachable = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 300 });
    try {
      const model = createMongoJobReadModel(unreachable.db('lacquer_unreachable'));

      await expect(model.get('tenant-a', 'job-1')).rejects.toMatchObject({
        code: 'READ_MODEL_UNAVAILABLE',
        retryable: true,
      });
    } finally {
      await unreachable.close();
    }
  });
});
