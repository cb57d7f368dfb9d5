/** An image reference split into its parts: `[registry/]name[:tag][@digest]`. */
export interface ImageReference {
  /** Repository with its registry, if any (`quay.io/minio/mc`, `node`). */
  readonly name: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

/**
 * Splits an image reference. A `:` is a tag separator only after the last `/` (before it, it
 * belongs to a registry's port: `localhost:5000/app` has no tag).
 */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : null;
  const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > withoutDigest.lastIndexOf('/')) {
    return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  }
  return { name: withoutDigest, tag: null, digest };
}
