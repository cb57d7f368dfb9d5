import { type FileHandle, open } from 'node:fs/promises';
import { LacquerError } from '@lacquer/errors';
import { findNonFiniteSample } from './find-non-finite-sample.ts';
import { pcmToPlanar } from './pcm-to-planar.ts';
import { inspectPcmWav, type PcmWavLayout } from './pcm-wav-layout.ts';

/** Options of {@link openPcmWavReader}. */
export interface PcmWavReaderOptions {
  /** As `DecodeOptions.maxDurationSeconds`, already validated. */
  readonly maxDurationSeconds: number | undefined;
  /** Bytes read from the file at a time (rounded down to whole frames, at least one); two such buffers are kept. */
  readonly chunkBytes: number;
}

/** An open plain PCM WAV file, read front to back into planar float32. */
export interface PcmWavReader {
  readonly layout: PcmWavLayout;
  /**
   * Decodes the next `frames` frames (at most those left of `layout.lengthSamples`) into
   * `channels` (`layout.channelCount` of them), from frame `offsetFrames` of each, with the
   * values of ffmpeg (`pcmToPlanar`). One call at a time.
   *
   * @throws LacquerError `MEDIA_INVALID_SAMPLES` for a NaN or ±Infinity (float formats;
   *   `details.frame`, `channel`); `MEDIA_DECODE_FAILED` when the file cannot be read or
   *   shrank since it was opened.
   */
  read(channels: readonly Float32Array[], offsetFrames: number, frames: number): Promise<void>;
  /**
   * Call once every frame is read: fails a file cut short of its declared length.
   *
   * @throws LacquerError `MEDIA_DECODE_FAILED` with `details.reason: 'truncated'`.
   */
  finish(): void;
  /** Closes the file, after a read still in flight. Idempotent. */
  close(): Promise<void>;
}

/** A chunk of raw frames read from the file. */
interface Chunk {
  readonly bytes: Uint8Array;
  readonly frames: number;
  /** Frame of the file the chunk starts at. */
  readonly startFrame: number;
}

/**
 * Opens the file at `path` for decoding without ffmpeg when `inspectPcmWav` finds it a plain
 * PCM WAV; `undefined` when it is not (or cannot be opened, stat'ed or read), for the caller to
 * decode it through ffmpeg, which reports the errors of such files as it always has. Spawns
 * nothing.
 *
 * The samples are read in chunks of about `chunkBytes` into two buffers that alternate: the
 * next chunk is read while the current one is converted.
 *
 * @throws LacquerError, the file closed: `MEDIA_TOO_LONG` when the file holds more than
 *   `maxDurationSeconds` (`details.declaredSeconds` when the `data` chunk declares its length
 *   and the file holds it all, else `details.decodedSecondsAtLeast`: the length the file
 *   holds); `MEDIA_EMPTY` when it holds no frame.
 */
export async function openPcmWavReader(
  path: string,
  options: PcmWavReaderOptions,
): Promise<PcmWavReader | undefined> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  let layout: PcmWavLayout;
  try {
    const stats = await file.stat();
    const inspection =
      stats.isFile() && stats.size > 0 ? await inspectPcmWav(readAt(file), stats.size) : undefined;
    if (inspection?.kind !== 'pcm') {
      await file.close();
      return undefined;
    }
    layout = inspection.layout;
  } catch {
    await file.close().catch(() => {});
    return undefined;
  }

  const { sampleRateHz, lengthSamples, declaredLengthSamples, blockAlignBytes, encoding } = layout;
  const { maxDurationSeconds } = options;
  const maxFrames =
    maxDurationSeconds === undefined ? undefined : Math.floor(maxDurationSeconds * sampleRateHz);
  if (maxFrames !== undefined && lengthSamples > maxFrames) {
    await file.close();
    const seconds = lengthSamples / sampleRateHz;
    throw new LacquerError('MEDIA_TOO_LONG', `${path} is longer than ${maxDurationSeconds} s`, {
      details: {
        path,
        maxDurationSeconds,
        ...(lengthSamples === declaredLengthSamples
          ? { declaredSeconds: seconds }
          : { decodedSecondsAtLeast: seconds }),
      },
    });
  }
  if (lengthSamples === 0) {
    await file.close();
    throw new LacquerError('MEDIA_EMPTY', `${path} decodes to no samples`, { details: { path } });
  }

  const chunkFrames = Math.max(1, Math.min(lengthSamples, Math.floor(options.chunkBytes / blockAlignBytes)));
  // Whole ArrayBuffers, so typed views of them are aligned for every encoding.
  const buffers = [0, 1].map(() => new Uint8Array(Math.ceil((chunkFrames * blockAlignBytes) / 8) * 8));
  let nextFetchFrame = 0;
  let nextBuffer = 0;
  let current: Chunk | undefined;
  let currentUsedFrames = 0;
  let ahead: Promise<Chunk> | undefined;
  let closed = false;

  /** Starts reading the next chunk into the buffer not in use; `undefined` past the end. */
  const fetchNext = (): Promise<Chunk> | undefined => {
    if (nextFetchFrame >= lengthSamples) return undefined;
    const startFrame = nextFetchFrame;
    const frames = Math.min(chunkFrames, lengthSamples - startFrame);
    const bytes = buffers[nextBuffer]!;
    nextBuffer ^= 1;
    nextFetchFrame += frames;
    const fetched = readFully(
      file,
      bytes,
      frames * blockAlignBytes,
      layout.dataOffsetBytes + startFrame * blockAlignBytes,
    ).then(
      (bytesRead) => {
        if (bytesRead < frames * blockAlignBytes) {
          // The file shrank since it was opened.
          throw truncated(path, layout, startFrame + Math.floor(bytesRead / blockAlignBytes));
        }
        return { bytes, frames, startFrame };
      },
      (error: unknown) => {
        throw readFailed(path, error);
      },
    );
    fetched.catch(() => {}); // awaited by `read` or `close`; never an unhandled rejection
    return fetched;
  };

  return {
    layout,
    async read(channels, offsetFrames, frames) {
      let done = 0;
      while (done < frames) {
        if (current === undefined || currentUsedFrames === current.frames) {
          const next = ahead ?? fetchNext();
          if (next === undefined) return;
          current = await next;
          currentUsedFrames = 0;
          ahead = fetchNext();
        }
        const take = Math.min(frames - done, current.frames - currentUsedFrames);
        const source = current.bytes.subarray(currentUsedFrames * blockAlignBytes);
        if (!pcmToPlanar(source, encoding, take, channels, offsetFrames + done)) {
          throwAtNonFinite(
            path,
            layout,
            channels,
            offsetFrames + done,
            take,
            current.startFrame + currentUsedFrames,
          );
        }
        currentUsedFrames += take;
        done += take;
      }
    },
    finish() {
      if (declaredLengthSamples !== undefined && lengthSamples < declaredLengthSamples) {
        throw truncated(path, layout, lengthSamples);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await ahead?.catch(() => {}); // never close under a read in flight
      await file.close();
    },
  };
}

function readAt(file: FileHandle) {
  return async (position: number, length: number): Promise<Uint8Array> => {
    const bytes = new Uint8Array(length);
    const bytesRead = await readFully(file, bytes, length, position);
    return bytes.subarray(0, bytesRead);
  };
}

/** Reads `length` bytes at `position` into `bytes`, looping over short reads; fewer only at the end of the file. */
async function readFully(
  file: FileHandle,
  bytes: Uint8Array,
  length: number,
  position: number,
): Promise<number> {
  let total = 0;
  while (total < length) {
    const { bytesRead } = await file.read(bytes, total, length - total, position + total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return total;
}

/** Throws `MEDIA_INVALID_SAMPLES` for the first NaN or ±Infinity (by frame, then channel) of `frames` frames from `offsetFrames`. */
function throwAtNonFinite(
  path: string,
  layout: PcmWavLayout,
  channels: readonly Float32Array[],
  offsetFrames: number,
  frames: number,
  fileFrame: number,
): never {
  let badFrame = -1;
  let badChannel = -1;
  for (let c = 0; c < channels.length; c++) {
    const index = findNonFiniteSample(channels[c]!.subarray(offsetFrames, offsetFrames + frames));
    if (index >= 0 && (badFrame < 0 || index < badFrame)) {
      badFrame = index;
      badChannel = c;
    }
  }
  const frame = fileFrame + badFrame;
  throw new LacquerError('MEDIA_INVALID_SAMPLES', `${path} decodes to NaN or infinite samples`, {
    details: {
      path,
      frame,
      seconds: frame / layout.sampleRateHz,
      channel: badChannel,
      value: String(channels[badChannel]![offsetFrames + badFrame]),
    },
  });
}

/**
 * The error of the ffmpeg path for a WAV shorter than its `data` chunk declares, with the same
 * details; also for a file that shrinks while it is read (declared then by its size at opening,
 * when the data chunk does not declare a length).
 */
function truncated(path: string, layout: PcmWavLayout, decodedFrames: number): LacquerError {
  const { declaredLengthSamples } = layout;
  const declaredFrames = declaredLengthSamples ?? layout.lengthSamples;
  return new LacquerError('MEDIA_DECODE_FAILED', `${path} is truncated`, {
    details: {
      path,
      reason: 'truncated',
      declaredBy: declaredLengthSamples === undefined ? 'file-size' : 'wav-data-chunk',
      declaredSeconds: declaredFrames / layout.sampleRateHz,
      decodedSeconds: decodedFrames / layout.sampleRateHz,
    },
  });
}

function readFailed(path: string, cause: unknown): LacquerError {
  const fsErrorCode = (cause as { code?: unknown } | null)?.code;
  return new LacquerError('MEDIA_DECODE_FAILED', `cannot read ${path}`, {
    cause,
    details: { path, fsErrorCode: typeof fsErrorCode === 'string' ? fsErrorCode : undefined },
  });
}
