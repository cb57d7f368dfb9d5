import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoredBlob } from './blob-store.ts';
import { createDigestMeter } from './digest-meter.ts';

/**
 * The temporary name a file is written under before it is renamed into place: hidden
 * (leading dot), in the same directory (so `rename` is atomic), unique per write.
 */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
}

/**
 * Streams `source` into `path` atomically: into a temporary file in the same directory, then
 * `rename`d over `path`, so a reader sees the old file or the whole new one. Creates missing
 * parent directories. On any failure the temporary file is removed and `path` is untouched.
 *
 * @param options.maxSizeBytes when given, more bytes than this fail the write with `UPLOAD_TOO_LARGE`.
 * @param options.beforeRename runs once all bytes are on disk, just before the rename (a
 *   failure there also abandons the write).
 * @returns the size and SHA-256 of the bytes written.
 * @throws whatever the source, the meter or the file system threw (callers map fs errors).
 */
export async function writeFileAtomically(
  path: string,
  source: Readable,
  options: { readonly maxSizeBytes?: number; readonly beforeRename?: () => Promise<void> } = {},
): Promise<StoredBlob> {
  const temporaryPath = temporaryPathFor(path);
  const meter = createDigestMeter(
    options.maxSizeBytes === undefined ? {} : { maxSizeBytes: options.maxSizeBytes },
  );
  let file: WriteStream | null = null;
  try {
    await mkdir(dirname(path), { recursive: true });
    file = createWriteStream(temporaryPath, { flags: 'wx' });
    await pipeline(source, meter, file);
    await options.beforeRename?.();
    await rename(temporaryPath, path);
  } catch (error) {
    source.destroy();
    // A source that failed at once (a client gone before the first byte) fails the pipeline
    // before the file is even opened: wait for it to close, or the open would create the
    // temporary file after it was removed.
    const opened = file;
    if (opened && !opened.closed) {
      await new Promise<void>((resolve) => {
        opened.once('close', () => resolve());
        opened.destroy();
      });
    }
    await rm(temporaryPath, { force: true });
    throw error;
  }
  return meter.digest();
}
