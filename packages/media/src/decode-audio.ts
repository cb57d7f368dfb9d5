import type { PlanarAudio } from '@lacquer/dsp';
import { DECLARED_LENGTH_SLACK_FRAMES } from './declared-length.ts';
import { assertDecodeOptions, type DecodeOptions, openDecodeStream } from './decode-stream.ts';
import { deinterleave } from './deinterleave.ts';
import { openPcmWavReader } from './pcm-wav-reader.ts';

/** Options of {@link decodeAudio}. */
export interface DecodeAudioOptions extends DecodeOptions {
  /**
   * Put the channels in `SharedArrayBuffer`s, so worker threads can read them without a copy
   * (default false).
   */
  readonly shared?: boolean;
}

/** Longest stretch preallocated from a declared duration before growing as decoded: 1 h. */
const MAX_PREALLOCATED_SECONDS = 3600;
/** Preallocated when the file declares no duration: 60 s, grown by half as needed. */
const UNKNOWN_DURATION_PREALLOCATED_SECONDS = 60;
/** Unused capacity kept (as a view's slack) rather than copied away at the end: 1 s. */
const MAX_SLACK_SECONDS = 1;
/** Bytes of a PCM WAV read at a time when decoding it whole (two buffers): 4 MiB. */
const WAV_CHUNK_BYTES = 1 << 22;

/**
 * Decodes the whole file at `path` into memory: planar 32-bit float at the file's own sample
 * rate and channel count, never clipped. Same decode, checks and errors as
 * `decodeAudioBlocks` (see there, truncation included), without the blocks.
 *
 * A plain PCM WAV (`inspectPcmWav`: 8- to 32-bit integer or 32/64-bit float, RIFF or RF64) is
 * read by Lacquer itself, without ffprobe or ffmpeg: the channels are allocated at the exact
 * length its header gives and the file is converted straight into them, 4 MiB at a time, to
 * the samples ffmpeg gives, bit for bit. Everything else goes through ffmpeg: when its first
 * frames arrive (after the declared duration has passed `maxDurationSeconds`, so that a header
 * claiming 8 hours costs no memory), the channels are allocated from the declared duration
 * (capped by `maxDurationSeconds` and 1 h) and ffmpeg's output is deinterleaved straight into
 * them, one copy; they grow by half when the file runs longer than declared. When it runs
 * shorter by more than a second (an overestimated MP3 duration) the result is copied into
 * channels of the right size, else it is a view of the preallocation.
 *
 * Memory: 4 bytes per sample, e.g. 42 MB for 4 min of 44.1 kHz stereo.
 *
 * @throws LacquerError: the codes of `decodeAudioBlocks`.
 */
export async function decodeAudio(path: string, options: DecodeAudioOptions = {}): Promise<PlanarAudio> {
  assertDecodeOptions(options);
  const reader = await openPcmWavReader(path, {
    maxDurationSeconds: options.maxDurationSeconds,
    chunkBytes: WAV_CHUNK_BYTES,
  });
  if (reader === undefined) return decodeAudioWithFfmpeg(path, options);
  try {
    const { sampleRateHz, channelCount, lengthSamples } = reader.layout;
    const allocate = allocator(options);
    const channels = Array.from({ length: channelCount }, () => allocate(lengthSamples));
    await reader.read(channels, 0, lengthSamples);
    reader.finish();
    return { sampleRateHz, channels };
  } finally {
    await reader.close();
  }
}

/**
 * {@link decodeAudio} through ffprobe and ffmpeg whatever the file: the path of every file that
 * is not a plain PCM WAV. Exported for the tests that compare the two paths, not by the package.
 */
export async function decodeAudioWithFfmpeg(
  path: string,
  options: DecodeAudioOptions = {},
): Promise<PlanarAudio> {
  const allocate = allocator(options);
  const stream = await openDecodeStream(path, options);
  const { sampleRateHz, channelCount, durationSeconds } = stream.probe;
  const capSeconds = Math.min(
    options.maxDurationSeconds ?? Number.POSITIVE_INFINITY,
    MAX_PREALLOCATED_SECONDS,
  );
  const expectedFrames =
    durationSeconds === undefined
      ? UNKNOWN_DURATION_PREALLOCATED_SECONDS * sampleRateHz
      : Math.ceil(durationSeconds * sampleRateHz) + DECLARED_LENGTH_SLACK_FRAMES;
  // Allocated when the first frames arrive: by then the stream has passed its declared-duration
  // check, so a header that claims hours (over `maxDurationSeconds`) costs no memory.
  let capacity = 0;
  let channels: Float32Array[] = [];
  let filled = 0;

  for await (const samples of stream.frames()) {
    const frames = samples.length / channelCount;
    if (capacity === 0) {
      capacity = Math.max(frames, Math.min(expectedFrames, Math.ceil(capSeconds * sampleRateHz) + 1));
      channels = Array.from({ length: channelCount }, () => allocate(capacity));
    } else if (filled + frames > capacity) {
      capacity = Math.max(filled + frames, Math.ceil(capacity * 1.5));
      channels = channels.map((channel) => {
        const grown = allocate(capacity);
        grown.set(channel.subarray(0, filled));
        return grown;
      });
    }
    deinterleave(samples, channels, filled);
    filled += frames;
  }

  const slackFrames = capacity - filled;
  const trimmed =
    slackFrames === 0
      ? channels
      : slackFrames <= MAX_SLACK_SECONDS * sampleRateHz
        ? channels.map((channel) => channel.subarray(0, filled))
        : channels.map((channel) => {
            const exact = allocate(filled);
            exact.set(channel.subarray(0, filled));
            return exact;
          });
  return { sampleRateHz, channels: trimmed };
}

/** New zeroed channels of `frames` samples, in `SharedArrayBuffer`s when `options.shared`. */
function allocator(options: DecodeAudioOptions): (frames: number) => Float32Array {
  return options.shared
    ? (frames) => new Float32Array(new SharedArrayBuffer(frames * Float32Array.BYTES_PER_ELEMENT))
    : (frames) => new Float32Array(frames);
}
