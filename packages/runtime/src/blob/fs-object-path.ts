import { isAbsolute, join, relative, resolve } from 'node:path';

/** The suffix of the sidecar file that holds an object's content type. */
export const FS_META_SUFFIX = '.meta.json';

/** One key segment: starts with a letter, digit, `_` or `-` (never a dot), up to 255 characters. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;

/** Where the file-system blob store keeps one object. */
export interface FsObjectPaths {
  /** The object's bytes. */
  readonly dataPath: string;
  /** The sidecar `{"contentType": …}` (JSON). */
  readonly metaPath: string;
}

/**
 * Maps `key` to the files of its object under `rootDir`: `<rootDir>/<key>` and
 * `<rootDir>/<key>.meta.json`.
 *
 * Keys are built by `object-keys.ts`, but this refuses anything that could leave `rootDir` or
 * collide with the store's own files: empty segments, `.` and `..`, segments starting with a
 * dot (temporary files are hidden), characters outside `[A-Za-z0-9._-]` (so no `\`, `%`, NUL),
 * and a last segment ending in `.meta.json`. It then checks the resolved path really is inside
 * `rootDir`.
 *
 * @throws TypeError for a key it refuses (a programming error).
 */
export function fsObjectPaths(rootDir: string, key: string): FsObjectPaths {
  const segments = typeof key === 'string' ? key.split('/') : [];
  const last = segments.at(-1);
  if (
    segments.length === 0 ||
    last === undefined ||
    last.endsWith(FS_META_SUFFIX) ||
    !segments.every((segment) => SEGMENT.test(segment))
  ) {
    throw new TypeError(`blob key ${JSON.stringify(key)} is not a valid object key`);
  }
  const root = resolve(rootDir);
  const dataPath = join(root, ...segments);
  const fromRoot = relative(root, dataPath);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw new TypeError(`blob key ${JSON.stringify(key)} leaves the store's root directory`);
  }
  return { dataPath, metaPath: `${dataPath}${FS_META_SUFFIX}` };
}
