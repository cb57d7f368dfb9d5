import { create } from '@bufbuild/protobuf';
import { type Artifact, ArtifactSchema } from '@lacquer/contracts';
import type { BlobStore } from './blob-store.ts';

/** What to store: bytes in memory or a file on disk. */
export type ArtifactSource =
  | { readonly name: string; readonly key: string; readonly contentType: string; readonly bytes: Uint8Array }
  | { readonly name: string; readonly key: string; readonly contentType: string; readonly path: string };

/**
 * Stores an artifact and describes it as the `Artifact` contract (name, key, type, size,
 * SHA-256) for the event that announces it.
 */
export async function storeArtifact(store: BlobStore, source: ArtifactSource): Promise<Artifact> {
  const options = { contentType: source.contentType };
  const stored =
    'bytes' in source
      ? await store.putBytes(source.key, source.bytes, options)
      : await store.putFile(source.key, source.path, options);
  return create(ArtifactSchema, {
    name: source.name,
    objectKey: source.key,
    contentType: source.contentType,
    sizeBytes: BigInt(stored.sizeBytes),
    sha256Hex: stored.sha256Hex,
  });
}
