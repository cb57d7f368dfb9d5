import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A directory `kubectl kustomize` renders, and the name findings give it. */
export interface Kustomization {
  /** `base`, or the overlay's directory name (`dev`, `prod`). */
  readonly name: string;
  readonly directory: string;
}

/**
 * `<root>/base` and every directory under `<root>/overlays`, sorted by name: a new overlay is
 * validated without being listed anywhere.
 */
export async function listKustomizations(root: string): Promise<Kustomization[]> {
  const overlays = await readdir(join(root, 'overlays'), { withFileTypes: true });
  return [
    { name: 'base', directory: join(root, 'base') },
    ...overlays
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((name) => ({ name, directory: join(root, 'overlays', name) })),
  ];
}
