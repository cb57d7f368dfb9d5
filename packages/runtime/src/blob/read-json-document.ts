import { parseJsonDocument } from '@lacquer/engine';
import type { BlobStore } from './blob-store.ts';

/**
 * Reads a JSON artifact (analysis.json, decision.json) back from the blob store, with the
 * `-Infinity` of silent levels restored (see `parseJsonDocument`). The caller names its type.
 *
 * @throws LacquerError `BLOB_NOT_FOUND` or `BLOB_UNAVAILABLE` from the store.
 */
export async function readJsonDocument<T>(store: BlobStore, key: string): Promise<T> {
  return parseJsonDocument<T>(Buffer.from(await store.getBytes(key)).toString('utf8'));
}
