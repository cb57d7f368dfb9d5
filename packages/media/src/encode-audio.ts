import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createTpdfDither, type PlanarAudio } from '@lacquer/dsp';
import { LacquerError } from '@lacquer/errors';
import { type EncodeFormat, type EncodePlan, encodePlan } from './encode-format.ts';
import { startFfmpeg } from './ffmpeg-command.ts';
import { findNonFiniteSample } from './find-non-finite-sample.ts';
import { interleave } from './interleave.ts';
import { roundTo24BitGrid } from './pcm-bytes.ts';
import { writeWavFile } from './wav-writer.ts';

/** Frames per chunk written to ffmpeg's stdin: 128 KiB of stereo float, so memory stays bounded. */
const CHUNK_FRAMES = 16_384;
/**
 * Seed of the 16-bit dither: fixed, so the same audio always encodes to the same bytes
 * (idempotent renders, content-addressed storage). Each channel gets its own noise.
 */
const DITHER_SEED = 0x4c41_4351; // "LACQ"

/**
 * Encodes `audio` to a file at `path`.
 *
 * WAV is written by Lacquer itself (`writeWavFile`): the header, then the samples converted
 * 1 MiB at a time, no process and no pipe. FLAC and MP3 are written by ffmpeg: interleaved
 * 32-bit float is piped to its stdin in chunks of {@link CHUNK_FRAMES} frames, as fast as
 * ffmpeg takes them (backpressure). Memory beyond `audio` itself stays bounded either way.
 *
 * Samples are prepared per {@link EncodeFormat}, the same way on both paths: `pcm16` (WAV,
 * FLAC) gets TPDF dither of ±1 LSB and lands on the 16-bit grid (`createTpdfDither` of
 * `@lacquer/dsp`, fixed seed: deterministic output); `pcm24` is rounded to the nearest 24-bit
 * step without dither (truncation would be a −½ LSB bias); float WAV and MP3 get the floats
 * unchanged (MP3 for a preview: fade it before). Out-of-range samples saturate in integer
 * formats and stay as they are in float WAV.
 *
 * The file appears at `path` complete or not at all: it is written to a hidden temporary file
 * beside it, renamed over `path` on success and removed on failure. The directory must exist.
 *
 * @throws LacquerError
 *   - `MEDIA_INVALID_ARGUMENT`: `audio` has no channels, channels of different lengths or a
 *     sample rate that is not a positive integer; an unknown format or MP3 bit rate; a WAV
 *     that `wavHeader` cannot describe (e.g. a byte rate over 4 GiB/s);
 *   - `MEDIA_CHANNELS_UNSUPPORTED`: MP3 of more than 2 channels;
 *   - `MEDIA_INVALID_SAMPLES`: a NaN or ±Infinity sample (`details.channel`, `frame`), checked
 *     before anything is written;
 *   - `MEDIA_ENCODE_FAILED`: the file could not be written, e.g. the directory does not exist
 *     (WAV: `details.fsErrorCode`; ffmpeg: `details.stderrTail`), or could not be moved to
 *     `path` (a directory there);
 *   - `MEDIA_FFMPEG_MISSING`: ffmpeg is not installed (FLAC, MP3).
 */
export async function encodeAudio(audio: PlanarAudio, path: string, format: EncodeFormat): Promise<void> {
  const { channels } = audio;
  assertEncodable(audio);
  const plan = encodePlan(format, audio.sampleRateHz, channels.length);
  for (let c = 0; c < channels.length; c++) {
    const bad = findNonFiniteSample(channels[c]!);
    if (bad >= 0) {
      throw new LacquerError('MEDIA_INVALID_SAMPLES', `cannot encode NaN or infinite samples to ${path}`, {
        details: { path, channel: c, frame: bad, value: String(channels[c]![bad]) },
      });
    }
  }

  const partialPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    if (plan.encoder === 'wav-writer') {
      await writeWavFile(audio, partialPath, { sampleFormat: plan.sampleFormat, ditherSeed: DITHER_SEED });
    } else {
      await encodeWithFfmpeg(audio, partialPath, plan);
    }
  } catch (error) {
    await rm(partialPath, { force: true });
    throw error;
  }
  try {
    await rename(partialPath, path);
  } catch (error) {
    await rm(partialPath, { force: true });
    throw new LacquerError('MEDIA_ENCODE_FAILED', `cannot move the encoded file to ${path}`, {
      cause: error,
      details: { path },
    });
  }
}

/** Pipes `audio`, prepared per `plan`, through ffmpeg into `path`. */
async function encodeWithFfmpeg(
  audio: PlanarAudio,
  path: string,
  plan: Extract<EncodePlan, { encoder: 'ffmpeg' }>,
): Promise<void> {
  // highWaterMark of 1 byte: the stream holds at most the one chunk ffmpeg has not taken yet.
  const input = Readable.from(interleavedChunks(audio, plan), { objectMode: false, highWaterMark: 1 });
  const run = startFfmpeg({
    input,
    inputOptions: [
      ['-hide_banner', '-v', 'error'],
      ['-f', 'f32le', '-ar', String(audio.sampleRateHz), '-ac', String(audio.channels.length)],
    ].flat(),
    outputOptions: ['-map', '0:a:0', ...plan.outputOptions, '-y'],
    output: path,
    failureCode: 'MEDIA_ENCODE_FAILED',
  });
  try {
    await run.exited;
  } catch (error) {
    input.destroy();
    throw error;
  }
}

/**
 * Yields `audio` as interleaved little-endian float32 bytes, prepared per `plan`, one fresh
 * buffer per chunk (the stream holds each until ffmpeg has read it).
 */
function* interleavedChunks(
  audio: PlanarAudio,
  plan: Extract<EncodePlan, { encoder: 'ffmpeg' }>,
): Generator<Buffer, void, undefined> {
  const { channels } = audio;
  const channelCount = channels.length;
  const lengthSamples = channels[0]!.length;
  const dither =
    plan.quantization === 'tpdf16' ? createTpdfDither({ bitDepth: 16, seed: DITHER_SEED }) : undefined;
  const dithered = dither ? channels.map(() => new Float32Array(CHUNK_FRAMES)) : [];

  for (let start = 0; start < lengthSamples; start += CHUNK_FRAMES) {
    const frames = Math.min(CHUNK_FRAMES, lengthSamples - start);
    const interleaved = new Float32Array(frames * channelCount);
    if (dither) {
      const source = channels.map((channel) => channel.subarray(start, start + frames));
      const target = dithered.map((channel) => channel.subarray(0, frames));
      dither.process(source, target);
      interleave(target, 0, interleaved);
    } else {
      interleave(channels, start, interleaved);
    }
    if (plan.quantization === 'round24') roundTo24BitGrid(interleaved);
    yield Buffer.from(interleaved.buffer, interleaved.byteOffset, interleaved.byteLength);
  }
}

function assertEncodable(audio: PlanarAudio): void {
  const { sampleRateHz, channels } = audio;
  const lengths = channels.map((channel) => channel.length);
  const valid =
    Number.isInteger(sampleRateHz) &&
    sampleRateHz > 0 &&
    channels.length > 0 &&
    lengths.every((length) => length === lengths[0]);
  if (!valid) {
    throw new LacquerError(
      'MEDIA_INVALID_ARGUMENT',
      'audio to encode needs an integer sample rate and 1+ channels of equal length',
      { details: { sampleRateHz, channelCount: channels.length, lengthsSamples: lengths } },
    );
  }
}
