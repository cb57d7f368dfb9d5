import { type FileHandle, open } from 'node:fs/promises';
import { createTpdfDither, type PlanarAudio } from '@lacquer/dsp';
import { isLacquerError, LacquerError } from '@lacquer/errors';
import { writeFloat32, writePcm16, writePcm24 } from './pcm-bytes.ts';
import { type WavSampleFormat, wavHeader } from './wav-header.ts';

/**
 * Bytes of samples converted and written at a time: 1 MiB (≈ 6 s of 24-bit stereo at 44.1 kHz).
 * Two such buffers alternate, so one is filled while the other is written.
 */
const CHUNK_BYTES = 1 << 20;

/** How {@link writeWavFile} writes. */
export interface WavWriteOptions {
  readonly sampleFormat: WavSampleFormat;
  /**
   * Seed of the TPDF dither of `pcm16`, an integer 0…2^32−1 (see `createTpdfDither` of
   * `@lacquer/dsp`): the same audio and seed give the same bytes. Unused by other formats.
   */
  readonly ditherSeed: number;
}

/**
 * Writes `audio` to a new WAV file at `path` (replacing a file there), without ffmpeg: the
 * header of `wavHeader` (RIFF, RF64 past 4 GiB), then the samples, interleaved little-endian:
 *
 * - `pcm16`: TPDF dither of ±1 LSB to the 16-bit grid (`createTpdfDither`, `ditherSeed`), the
 *   values the ffmpeg path wrote;
 * - `pcm24`: rounded to the nearest 24-bit step, no dither (`writePcm24`);
 * - `float32`: the floats unchanged.
 *
 * Integer formats saturate beyond full scale. Converts 1 MiB at a time into one of two
 * buffers while the other is being written, so memory beyond `audio` is 2 MiB (plus 2 MiB
 * of dithered floats for `pcm16`) and the conversion overlaps the disk.
 *
 * The caller validates `audio` (channels of equal length, finite samples) and owns atomicity:
 * a failed write leaves a partial file at `path`.
 *
 * @throws LacquerError `MEDIA_INVALID_ARGUMENT` when `wavHeader` cannot describe the audio;
 *   `MEDIA_ENCODE_FAILED` when the file cannot be created or written (`details.path`,
 *   `details.fsErrorCode` such as `ENOENT` or `ENOSPC`; `cause`: the `fs` error).
 */
export async function writeWavFile(
  audio: PlanarAudio,
  path: string,
  options: WavWriteOptions,
): Promise<void> {
  const { sampleFormat, ditherSeed } = options;
  const { sampleRateHz, channels } = audio;
  const lengthSamples = channels[0]?.length ?? 0;
  const header = wavHeader({ sampleFormat, channelCount: channels.length, sampleRateHz, lengthSamples });
  const { blockAlignBytes } = header;
  const chunkFrames = Math.max(1, Math.min(lengthSamples, Math.floor(CHUNK_BYTES / blockAlignBytes)));
  const buffers = [
    Buffer.allocUnsafe(chunkFrames * blockAlignBytes),
    Buffer.allocUnsafe(chunkFrames * blockAlignBytes),
  ];
  const dither = sampleFormat === 'pcm16' ? createTpdfDither({ bitDepth: 16, seed: ditherSeed }) : undefined;
  const dithered = dither ? channels.map(() => new Float32Array(chunkFrames)) : [];

  let file: FileHandle;
  try {
    file = await open(path, 'w');
  } catch (error) {
    throw writeFailed(path, error);
  }
  let pending: Promise<void> = Promise.resolve();
  try {
    let position = 0;
    pending = writeAll(file, path, header.bytes, header.bytes.length, position);
    position += header.bytes.length;
    for (let start = 0, chunk = 0; start < lengthSamples; start += chunkFrames, chunk++) {
      const frames = Math.min(chunkFrames, lengthSamples - start);
      const buffer = buffers[chunk % 2]!;
      const byteLength = frames * blockAlignBytes;
      const target = new DataView(buffer.buffer, buffer.byteOffset, byteLength);
      if (dither) {
        const source = channels.map((channel) => channel.subarray(start, start + frames));
        const grid = dithered.map((channel) => channel.subarray(0, frames));
        dither.process(source, grid);
        writePcm16(grid, 0, frames, target);
      } else if (sampleFormat === 'pcm24') {
        writePcm24(channels, start, frames, target);
      } else {
        writeFloat32(channels, start, frames, target);
      }
      // The previous chunk was written from the other buffer; this one may go once it is done.
      await pending;
      pending = writeAll(file, path, buffer, byteLength, position);
      position += byteLength;
    }
    if (header.padBytes === 1) {
      await pending;
      pending = writeAll(file, path, Buffer.alloc(1), 1, position);
    }
    await pending;
  } catch (error) {
    await pending.catch(() => {}); // never close under a write in flight
    throw isLacquerError(error) ? error : writeFailed(path, error);
  } finally {
    await file.close();
  }
}

/** Writes `length` bytes of `buffer` at `position` of `file` (at `path`), looping over short writes. */
async function writeAll(
  file: FileHandle,
  path: string,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<void> {
  let written = 0;
  while (written < length) {
    const { bytesWritten } = await file.write(buffer, written, length - written, position + written);
    if (bytesWritten === 0) throw writeFailed(path, undefined); // no progress and no error: give up
    written += bytesWritten;
  }
}

function writeFailed(path: string, cause: unknown): LacquerError {
  const fsErrorCode = (cause as { code?: unknown } | null)?.code;
  return new LacquerError('MEDIA_ENCODE_FAILED', `cannot write ${path}`, {
    cause,
    details: { path, fsErrorCode: typeof fsErrorCode === 'string' ? fsErrorCode : undefined },
  });
}
