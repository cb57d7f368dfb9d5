import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameSource, FrameStore } from '@lacquer/dsp';
import { LacquerError } from '@lacquer/errors';

/** Options of {@link createFloatFrameFile}. */
export interface FloatFrameFileOptions {
  /** An existing directory for the files (a job's scratch directory). */
  readonly directory: string;
  /** Prefix of the file names, `[A-Za-z0-9_-]+`: `<name>.<channel>.f32`. */
  readonly name: string;
  /** 1 to 8. */
  readonly channelCount: number;
  /** Of the audio (or the per-frame values) it holds, Hz. */
  readonly sampleRateHz: number;
}

/**
 * A planar float32 programme on disk ({@link createFloatFrameFile}): a {@link FrameStore}
 * that is closed (and its files removed) when no longer needed.
 */
export interface FloatFrameFile extends FrameStore {
  /** One raw little-endian float32 file per channel. */
  readonly paths: readonly string[];
  /** What another thread needs to open the frames written so far ({@link openFloatFrameFile}). */
  descriptor(): FloatFrameFileDescriptor;
  /** Closes the files and removes them. Idempotent; the store cannot be used afterwards. */
  remove(): void;
}

/** A {@link FloatFrameFile} as plain data, for a worker thread to open it (structured-cloneable). */
export interface FloatFrameFileDescriptor {
  readonly paths: readonly string[];
  readonly sampleRateHz: number;
  readonly lengthSamples: number;
}

/** A read-only view of a {@link FloatFrameFile} opened from its descriptor; `close` when done. */
export interface FloatFrameFileReader extends FrameSource {
  close(): void;
}

const SAMPLE_BYTES = Float32Array.BYTES_PER_ELEMENT;
const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Creates an empty {@link FloatFrameFile}: one raw float32 file per channel (`<name>.<c>.f32`
 * in `directory`, replacing files of those names), read and written synchronously with
 * positional I/O straight from and into the caller's arrays, no copy and no buffering of its
 * own: the scratch store of the long-programme path (a 60-minute stereo programme at 44.1 kHz
 * is 1.27 GB on disk; the operating system's page cache, not the process, holds what it can).
 * Little-endian hosts only (x86-64, arm64), as the decoder.
 *
 * @throws LacquerError `MEDIA_INVALID_ARGUMENT` for a bad name, channel count or rate, a read
 *   outside the frames written, a write that would leave a gap, or use after `remove`;
 *   `MEDIA_ENCODE_FAILED` (retryable) when a file cannot be created, written or read
 *   (`details.path`, `operation`, `fsErrorCode` such as `ENOSPC`; `cause`: the `fs` error).
 */
export function createFloatFrameFile(options: FloatFrameFileOptions): FloatFrameFile {
  const { directory, name, channelCount, sampleRateHz } = options;
  if (
    !NAME_PATTERN.test(name) ||
    !(Number.isInteger(channelCount) && channelCount >= 1 && channelCount <= 8) ||
    !(Number.isInteger(sampleRateHz) && sampleRateHz > 0)
  ) {
    throw new LacquerError(
      'MEDIA_INVALID_ARGUMENT',
      'a float frame file needs a plain name, 1–8 channels and a rate',
      {
        details: { name, channelCount, sampleRateHz },
      },
    );
  }
  const paths = Array.from({ length: channelCount }, (_, c) => join(directory, `${name}.${c}.f32`));
  const descriptors: number[] = [];
  try {
    for (const path of paths) descriptors.push(openSync(path, 'w+'));
  } catch (error) {
    for (const fd of descriptors) closeSync(fd);
    throw ioFailed(paths[descriptors.length]!, 'create', error);
  }
  let lengthSamples = 0;
  let removed = false;

  const assertOpen = (): void => {
    if (removed) {
      throw new LacquerError('MEDIA_INVALID_ARGUMENT', 'the float frame file was removed', {
        details: { name },
      });
    }
  };

  return {
    sampleRateHz,
    channelCount,
    paths,
    get lengthSamples() {
      return lengthSamples;
    },
    read(startFrame, target) {
      assertOpen();
      readFrames(paths, descriptors, lengthSamples, startFrame, target);
    },
    write(startFrame, source) {
      assertOpen();
      const frames = source[0]?.length ?? 0;
      if (
        !(Number.isInteger(startFrame) && startFrame >= 0 && startFrame <= lengthSamples) ||
        source.length !== channelCount ||
        source.some((channel) => channel.length !== frames)
      ) {
        throw new LacquerError('MEDIA_INVALID_ARGUMENT', `write outside the frames of ${paths[0]}`, {
          details: { startFrame, frames, lengthSamples, sourceCount: source.length },
        });
      }
      for (let c = 0; c < channelCount; c++) {
        const view = source[c]!;
        const bytes = new Uint8Array(view.buffer, view.byteOffset, frames * SAMPLE_BYTES);
        let done = 0;
        while (done < bytes.length) {
          let wrote: number;
          try {
            wrote = writeSync(
              descriptors[c]!,
              bytes,
              done,
              bytes.length - done,
              startFrame * SAMPLE_BYTES + done,
            );
          } catch (error) {
            throw ioFailed(paths[c]!, 'write', error);
          }
          if (wrote === 0) throw ioFailed(paths[c]!, 'write', undefined);
          done += wrote;
        }
      }
      lengthSamples = Math.max(lengthSamples, startFrame + frames);
    },
    descriptor() {
      return { paths, sampleRateHz, lengthSamples };
    },
    remove() {
      if (removed) return;
      removed = true;
      for (const fd of descriptors) closeSync(fd);
      for (const path of paths) rmSync(path, { force: true });
    },
  };
}

/**
 * Opens the files of a {@link FloatFrameFile} for reading, e.g. in a worker thread while the
 * thread that made it keeps it (reads of frames written before the descriptor was taken).
 *
 * @throws LacquerError `MEDIA_ENCODE_FAILED` when a file cannot be opened or read;
 *   `MEDIA_INVALID_ARGUMENT` for a read outside the frames.
 */
export function openFloatFrameFile(descriptor: FloatFrameFileDescriptor): FloatFrameFileReader {
  const { paths, sampleRateHz, lengthSamples } = descriptor;
  const descriptors: number[] = [];
  try {
    for (const path of paths) descriptors.push(openSync(path, 'r'));
  } catch (error) {
    for (const fd of descriptors) closeSync(fd);
    throw ioFailed(paths[descriptors.length]!, 'read', error);
  }
  let closed = false;
  return {
    sampleRateHz,
    channelCount: paths.length,
    lengthSamples,
    read(startFrame, target) {
      if (closed) {
        throw new LacquerError('MEDIA_INVALID_ARGUMENT', 'the float frame file reader was closed', {
          details: { path: paths[0] },
        });
      }
      readFrames(paths, descriptors, lengthSamples, startFrame, target);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const fd of descriptors) closeSync(fd);
    },
  };
}

/** Reads frames `[startFrame, startFrame + target[0].length)` of every channel file into `target`. */
function readFrames(
  paths: readonly string[],
  descriptors: readonly number[],
  lengthSamples: number,
  startFrame: number,
  target: readonly Float32Array[],
): void {
  const frames = target[0]?.length ?? 0;
  if (
    !(Number.isInteger(startFrame) && startFrame >= 0 && startFrame + frames <= lengthSamples) ||
    target.length !== paths.length
  ) {
    throw new LacquerError('MEDIA_INVALID_ARGUMENT', `read outside the frames of ${paths[0]}`, {
      details: { startFrame, frames, lengthSamples, targetCount: target.length },
    });
  }
  for (let c = 0; c < paths.length; c++) {
    const view = target[c]!;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, frames * SAMPLE_BYTES);
    let done = 0;
    while (done < bytes.length) {
      let got: number;
      try {
        got = readSync(descriptors[c]!, bytes, done, bytes.length - done, startFrame * SAMPLE_BYTES + done);
      } catch (error) {
        throw ioFailed(paths[c]!, 'read', error);
      }
      if (got === 0) throw ioFailed(paths[c]!, 'read', undefined);
      done += got;
    }
  }
}

function ioFailed(path: string, operation: 'create' | 'read' | 'write', cause: unknown): LacquerError {
  const fsErrorCode = (cause as { code?: unknown } | null)?.code;
  return new LacquerError('MEDIA_ENCODE_FAILED', `cannot ${operation} the scratch file ${path}`, {
    cause,
    details: { path, operation, fsErrorCode: typeof fsErrorCode === 'string' ? fsErrorCode : undefined },
  });
}
