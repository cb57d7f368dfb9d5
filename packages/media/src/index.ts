// Public entry of @lacquer/media: ffmpeg and ffprobe behind one adapter (decoding, probing, FLAC and MP3),
// and Lacquer's own WAV writer and PCM WAV reader (used by the decoders). Every export is listed by name.

export { type DecodeAudioOptions, decodeAudio } from './decode-audio.ts';
export {
  DEFAULT_BLOCK_LENGTH_SAMPLES,
  type DecodeBlocksOptions,
  decodeAudioBlocks,
} from './decode-audio-blocks.ts';
export type { DecodeOptions } from './decode-stream.ts';
export { type DecodeToFrameFileOptions, decodeToFrameFile } from './decode-to-frame-file.ts';
export { encodeAudio } from './encode-audio.ts';
export {
  type EncodeFormat,
  MP3_BITRATES_KBPS,
  MP3_SAMPLE_RATES_HZ,
  type Mp3BitrateKbps,
} from './encode-format.ts';
export {
  createFloatFrameFile,
  type FloatFrameFile,
  type FloatFrameFileDescriptor,
  type FloatFrameFileOptions,
  type FloatFrameFileReader,
  openFloatFrameFile,
} from './float-frame-file.ts';
export { type AudioProbe, probeAudio } from './probe-audio.ts';
export {
  assertSupportedAudio,
  MAX_CHANNEL_COUNT,
  MAX_SAMPLE_RATE_HZ,
  MIN_SAMPLE_RATE_HZ,
} from './supported-audio.ts';
export { createWavBlockWriter, type WavBlockWriter, type WavBlockWriterOptions } from './wav-block-writer.ts';
