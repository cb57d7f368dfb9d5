import { frameCount } from '@lacquer/dsp';
import { type DecodeBlocksOptions, decodeAudioBlocks } from './decode-audio-blocks.ts';
import { createFloatFrameFile, type FloatFrameFile } from './float-frame-file.ts';

/** Options of {@link decodeToFrameFile}. */
export interface DecodeToFrameFileOptions extends DecodeBlocksOptions {
  /** An existing directory for the scratch files. */
  readonly directory: string;
  /** Prefix of the file names (see `createFloatFrameFile`); default `programme`. */
  readonly name?: string;
}

/**
 * Decodes the file at `path` (any file ffmpeg reads, as `decodeAudioBlocks`: 32-bit float at
 * its own rate and channel count, never clipped) into a {@link FloatFrameFile} in
 * `options.directory`, block by block: the memory of one block (512 KiB for stereo),
 * whatever the length. The caller removes the file when done (`remove()`); on failure it is
 * removed here.
 *
 * @throws LacquerError the codes of `decodeAudioBlocks` (`MEDIA_TOO_LONG` before anything is
 *   decoded when the file declares its length) and of `createFloatFrameFile`.
 */
export async function decodeToFrameFile(
  path: string,
  options: DecodeToFrameFileOptions,
): Promise<FloatFrameFile> {
  const { directory, name = 'programme', ...decodeOptions } = options;
  let file: FloatFrameFile | undefined;
  try {
    for await (const block of decodeAudioBlocks(path, decodeOptions)) {
      file ??= createFloatFrameFile({
        directory,
        name,
        channelCount: block.channels.length,
        sampleRateHz: block.sampleRateHz,
      });
      if (frameCount(block) > 0) file.write(file.lengthSamples, block.channels);
    }
  } catch (error) {
    file?.remove();
    throw error;
  }
  // decodeAudioBlocks fails with MEDIA_EMPTY rather than yield nothing.
  return file!;
}
