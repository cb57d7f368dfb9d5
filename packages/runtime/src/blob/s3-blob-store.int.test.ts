import { randomUUID } from 'node:crypto';
import { createS3BlobStore } from './s3-blob-store.ts';
import { describeBlobStoreContract } from './test-support/blob-store-contract.ts';
import { startS3rver } from './test-support/start-s3rver.ts';

// s3rver 3.7 checks the expiry of SigV4 presigned URLs but not their signature or signed
// headers, so the Content-Type and tampered-signature cases run against the fs routes only.
describeBlobStoreContract(
  's3 (s3rver)',
  async (clock) => {
    const bucket = `lacquer-test-${randomUUID().slice(0, 8)}`;
    const s3rver = await startS3rver([bucket]);
    return {
      store: createS3BlobStore({ client: s3rver.client, bucket, now: clock.now }),
      close: () => s3rver.close(),
    };
  },
  { checksSignatures: false },
);
