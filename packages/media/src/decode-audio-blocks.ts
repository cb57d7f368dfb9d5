import { allocatePlanar, frameCount, type PlanarAudio, sliceFrames } from '@lacquer/dsp';
import { LacquerError } from '@lacquer/errors';
import { assertDecodeOptions, type DecodeOptions, openDecodeStream } from './decode-stream.ts';
import { deinterleave } from './deinterleave.ts';
import { openPcmWavReader } from './pcm-wav-reader.ts';

/** Default frames per block of {@link decodeAudioBlocks}: 1.49 s at 44.1 kHz, 512 KiB per stereo block. */
export const DEFAULT_BLOCK_LENGTH_SAMPLES = 65_536;
/** Bytes of a PCM WAV read at a time (two buffers): 1 MiB, 6 s of 24-bit stereo at 44.1 kHz. */
const WAV_CHUNK_BYTES = 1 << 20;

/** Options of {@link decodeAudioBlocks}. */
export interface DecodeBlocksOptions extends DecodeOptions {
  /** Frames per block, an integer 1…2^24 (default {@link DEFAULT_BLOCK_LENGTH_SAMPLES}); the last block may be shorter. */
  readonly blockLengthSamples?: number;
}

/**
 * Decodes any file ffmpeg reads to planar 32-bit float at the file's own sample rate and
 * channel count (no resampling, no down-mix; the first audio stream), streamed in blocks with
 * bounded memory: ffmpeg pipes raw interleaved `f32le` to us (at most ~512 KiB ahead of the
 * consumer), and we deinterleave it into blocks. Float all the way: nothing is clipped, so
 * samples over full scale (decoded lossy files often peak above 0 dBFS) arrive as they are.
 *
 * A plain PCM WAV (`inspectPcmWav`) is read without ffprobe or ffmpeg, 1 MiB at a time (two
 * buffers), and converted straight into the blocks, to the samples ffmpeg gives, bit for bit,
 * with the same checks and errors (its header gives the length, so `MEDIA_TOO_LONG` and
 * `MEDIA_EMPTY` come before the first block, and a cut WAV is reported as `truncated` after
 * the frames it holds).
 *
 * Each yielded block is a fresh {@link PlanarAudio} of `blockLengthSamples` frames (the last
 * one shorter) that the consumer owns. Nothing runs until iteration starts; leaving the loop
 * early (`break`, `return`, a throw) kills ffmpeg and waits for it to exit (or closes the WAV).
 *
 * Truncated and corrupt files: ffmpeg runs with `-xerror`, so the first demux or decode error
 * (a FLAC frame cut short, a WAV's partial last packet, a CRC mismatch, a cut MP4) fails the
 * decode. A cut on a clean frame boundary decodes without error, so the decoded length is then
 * checked against the one the file declares (see `declaredLength`): a PCM WAV's `data` size
 * (exact), else the audio stream's duration (FLAC STREAMINFO, Xing/LAME header, MP4 index) less
 * 4096 frames of encoder delay and padding. Not detectable, and decoded as far as they go: an
 * Ogg cut between pages (its duration is its last granule) and an MP3 without a Xing header
 * (its duration is an estimate). A WAV written to a pipe (no declared length) runs without
 * `-xerror`, as its short last packet is normal.
 *
 * Errors of a stream come at the end of what could be decoded: blocks already yielded stand.
 *
 * @throws LacquerError
 *   - `MEDIA_NOT_FOUND`, `MEDIA_EMPTY` (0 bytes), `MEDIA_UNSUPPORTED`, `MEDIA_FFMPEG_MISSING`: see `probeAudio`;
 *   - `MEDIA_DECODE_FAILED`: ffmpeg failed (`details.stderrTail`: its last stderr lines), the
 *     file is truncated (`details.reason: 'truncated'`, `declaredSeconds`, `decodedSeconds`: a
 *     PCM WAV cut anywhere, read without ffmpeg, always says so), or a PCM WAV could not be read
 *     (`details.fsErrorCode`);
 *   - `MEDIA_EMPTY`: the stream decodes to no samples;
 *   - `MEDIA_TOO_LONG`: longer than `maxDurationSeconds` (`details.declaredSeconds` when declared,
 *     else `decodedSecondsAtLeast`: counted while decoding, or a PCM WAV's size);
 *   - `MEDIA_INVALID_SAMPLES`: a NaN or ±Infinity sample (`details.frame`, `channel`);
 *   - `MEDIA_INVALID_ARGUMENT`: an option out of range.
 */
export async function* decodeAudioBlocks(
  path: string,
  options: DecodeBlocksOptions = {},
): AsyncGenerator<PlanarAudio, void, undefined> {
  const blockLengthSamples = validBlockLength(options);
  assertDecodeOptions(options);
  const reader = await openPcmWavReader(path, {
    maxDurationSeconds: options.maxDurationSeconds,
    chunkBytes: WAV_CHUNK_BYTES,
  });
  if (reader === undefined) {
    yield* ffmpegBlocks(path, options, blockLengthSamples);
    return;
  }
  try {
    const { sampleRateHz, channelCount, lengthSamples } = reader.layout;
    for (let start = 0; start < lengthSamples; start += blockLengthSamples) {
      const block = allocatePlanar(
        channelCount,
        Math.min(blockLengthSamples, lengthSamples - start),
        sampleRateHz,
      );
      await reader.read(block.channels, 0, frameCount(block));
      yield block;
    }
    reader.finish();
  } finally {
    await reader.close();
  }
}

/**
 * {@link decodeAudioBlocks} through ffprobe and ffmpeg whatever the file: the path of every
 * file that is not a plain PCM WAV. Exported for the tests that compare the two paths, not by
 * the package.
 */
export async function* decodeAudioBlocksWithFfmpeg(
  path: string,
  options: DecodeBlocksOptions = {},
): AsyncGenerator<PlanarAudio, void, undefined> {
  yield* ffmpegBlocks(path, options, validBlockLength(options));
}

function validBlockLength(options: DecodeBlocksOptions): number {
  const blockLengthSamples = options.blockLengthSamples ?? DEFAULT_BLOCK_LENGTH_SAMPLES;
  if (!(Number.isInteger(blockLengthSamples) && blockLengthSamples >= 1 && blockLengthSamples <= 2 ** 24)) {
    throw new LacquerError('MEDIA_INVALID_ARGUMENT', 'blockLengthSamples must be an integer 1…2^24', {
      details: { blockLengthSamples },
    });
  }
  return blockLengthSamples;
}

async function* ffmpegBlocks(
  path: string,
  options: DecodeOptions,
  blockLengthSamples: number,
): AsyncGenerator<PlanarAudio, void, undefined> {
  const stream = await openDecodeStream(path, options);
  const { sampleRateHz, channelCount } = stream.probe;
  let block: PlanarAudio | undefined;
  let filled = 0;
  for await (const samples of stream.frames()) {
    const frames = samples.length / channelCount;
    let done = 0;
    while (done < frames) {
      block ??= allocatePlanar(channelCount, blockLengthSamples, sampleRateHz);
      const take = Math.min(frames - done, blockLengthSamples - filled);
      deinterleave(
        samples.subarray(done * channelCount, (done + take) * channelCount),
        block.channels,
        filled,
      );
      filled += take;
      done += take;
      if (filled === blockLengthSamples) {
        yield block;
        block = undefined;
        filled = 0;
      }
    }
  }
  if (block && filled > 0) yield sliceFrames(block, 0, filled);
}
