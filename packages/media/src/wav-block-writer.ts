import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createTpdfDither, type TpdfDither } from '@lacquer/dsp';
import { isLacquerError, LacquerError } from '@lacquer/errors';
import { findNonFiniteSample } from './find-non-finite-sample.ts';
import { writeFloat32, writePcm16, writePcm24 } from './pcm-bytes.ts';
import { type WavSampleFormat, wavHeader } from './wav-header.ts';

/** Options of {@link createWavBlockWriter}. */
export interface WavBlockWriterOptions {
  readonly sampleFormat: WavSampleFormat;
  readonly channelCount: number;
  /** A positive integer, Hz. */
  readonly sampleRateHz: number;
  /** Frames the file will hold, known up front (the header states it). */
  readonly lengthSamples: number;
  /** Seed of the TPDF dither of `pcm16` (see `writeWavFile`); unused by other formats. */
  readonly ditherSeed: number;
}

/** A WAV file written front to back in blocks; see {@link createWavBlockWriter}. */
export interface WavBlockWriter {
  /** Appends a block (one array per channel, equal lengths, finite samples). Synchronous. */
  write(block: readonly Float32Array[]): void;
  /** Checks that every frame was written, and moves the file to its path. */
  finish(): void;
  /** Removes the partial file (after a failure). Idempotent; a no-op after `finish`. */
  abort(): void;
}

/**
 * Writes a WAV file of known length in blocks, for a master too long to hold in memory: the
 * header of `wavHeader` (RIFF, RF64 past 4 GiB) and the samples converted exactly as
 * `writeWavFile` (and so `encodeAudio`) converts them: `pcm24` rounded to the nearest step,
 * `pcm16` with the same seeded TPDF dither, `float32` unchanged. The same audio gives the same
 * bytes, whatever the blocks. Memory: one block's bytes.
 *
 * The file appears at `path` complete or not at all, as with `encodeAudio`: it is written to a
 * hidden temporary file beside it, renamed by `finish`, removed by `abort`.
 *
 * @throws LacquerError `MEDIA_INVALID_ARGUMENT` when `wavHeader` cannot describe the audio or
 *   a block does not fit (channels, more frames than declared, `finish` before the last);
 *   `MEDIA_INVALID_SAMPLES` for a NaN or ±Infinity (`details.channel`, `frame`);
 *   `MEDIA_ENCODE_FAILED` when the file cannot be created, written or moved.
 */
export function createWavBlockWriter(path: string, options: WavBlockWriterOptions): WavBlockWriter {
  const { sampleFormat, channelCount, sampleRateHz, lengthSamples } = options;
  const header = wavHeader({ sampleFormat, channelCount, sampleRateHz, lengthSamples });
  const partialPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  let fd: number;
  try {
    fd = openSync(partialPath, 'w');
  } catch (error) {
    throw writeFailed(path, error);
  }
  let position = 0;
  let written = 0;
  let open = true;
  let buffer = Buffer.alloc(0);
  let dither: TpdfDither | undefined;
  let dithered: Float32Array[] = [];
  if (sampleFormat === 'pcm16') dither = createTpdfDither({ bitDepth: 16, seed: options.ditherSeed });

  const append = (bytes: Uint8Array): void => {
    let done = 0;
    while (done < bytes.length) {
      let count: number;
      try {
        count = writeSync(fd, bytes, done, bytes.length - done, position + done);
      } catch (error) {
        throw writeFailed(path, error);
      }
      if (count === 0) throw writeFailed(path, undefined);
      done += count;
    }
    position += bytes.length;
  };
  const close = (): void => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  const fail = (error: unknown): never => {
    close();
    rmSync(partialPath, { force: true });
    throw error;
  };

  try {
    append(header.bytes);
  } catch (error) {
    fail(error);
  }

  return {
    write(block) {
      const frames = block[0]?.length ?? 0;
      if (!open || block.length !== channelCount || written + frames > lengthSamples) {
        fail(
          new LacquerError('MEDIA_INVALID_ARGUMENT', `block does not fit the WAV file ${path}`, {
            details: { path, channelCount: block.length, frames, written, lengthSamples },
          }),
        );
      }
      for (let c = 0; c < channelCount; c++) {
        const bad = findNonFiniteSample(block[c]!);
        if (bad >= 0) {
          fail(
            new LacquerError('MEDIA_INVALID_SAMPLES', `cannot encode NaN or infinite samples to ${path}`, {
              details: { path, channel: c, frame: written + bad, value: String(block[c]![bad]) },
            }),
          );
        }
      }
      const byteLength = frames * header.blockAlignBytes;
      if (buffer.length < byteLength) buffer = Buffer.alloc(byteLength);
      const target = new DataView(buffer.buffer, buffer.byteOffset, byteLength);
      if (dither) {
        if ((dithered[0]?.length ?? 0) < frames) dithered = block.map(() => new Float32Array(frames));
        const grid = dithered.map((channel) => channel.subarray(0, frames));
        dither.process(block, grid);
        writePcm16(grid, 0, frames, target);
      } else if (sampleFormat === 'pcm24') {
        writePcm24(block, 0, frames, target);
      } else {
        writeFloat32(block, 0, frames, target);
      }
      try {
        append(buffer.subarray(0, byteLength));
      } catch (error) {
        fail(error);
      }
      written += frames;
    },
    finish() {
      if (!open || written !== lengthSamples) {
        fail(
          new LacquerError('MEDIA_INVALID_ARGUMENT', `WAV file ${path} finished before its last frame`, {
            details: { path, written, lengthSamples },
          }),
        );
      }
      try {
        if (header.padBytes === 1) append(new Uint8Array(1));
        close();
        renameSync(partialPath, path);
      } catch (error) {
        fail(isLacquerError(error) ? error : writeFailed(path, error));
      }
    },
    abort() {
      if (!open) return;
      close();
      rmSync(partialPath, { force: true });
    },
  };
}

function writeFailed(path: string, cause: unknown): LacquerError {
  const fsErrorCode = (cause as { code?: unknown } | null)?.code;
  return new LacquerError('MEDIA_ENCODE_FAILED', `cannot write ${path}`, {
    cause,
    details: { path, fsErrorCode: typeof fsErrorCode === 'string' ? fsErrorCode : undefined },
  });
}
