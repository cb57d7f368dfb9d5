import { LacquerError } from '@lacquer/errors';
import type { WavSampleFormat } from './wav-header.ts';

/** Bit rates of MPEG-1 Layer III in kbit/s (ISO/IEC 11172-3, table of `bitrate_index`), all constant bit rate. */
export const MP3_BITRATES_KBPS = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const;

/** One of {@link MP3_BITRATES_KBPS}. */
export type Mp3BitrateKbps = (typeof MP3_BITRATES_KBPS)[number];

/**
 * Sample rates MP3 can carry in Hz: MPEG-1 (32, 44.1, 48 kHz), MPEG-2 (half) and MPEG-2.5
 * (quarter) Layer III.
 */
export const MP3_SAMPLE_RATES_HZ = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;

const WAV_SAMPLE_FORMATS: readonly string[] = ['pcm16', 'pcm24', 'float32'] satisfies WavSampleFormat[];

/**
 * What `encodeAudio` writes.
 *
 * - `wav`: PCM WAV (`pcm16`, `pcm24`: integer; `float32`: IEEE float, keeps samples over full
 *   scale), RF64 past 4 GiB; written by Lacquer itself (`writeWavFile`), not ffmpeg.
 * - `flac`: FLAC (compression level 5) of 16 or 24 bits.
 * - `mp3`: constant bit rate MP3 (LAME), mono or stereo; a rate MP3 cannot carry is resampled
 *   (see `encodePlan`).
 *
 * `pcm16` is TPDF-dithered by Lacquer before quantization; `pcm24` is rounded to the 24-bit grid
 * without dither (its error, −144 dBFS, lies far below any recording's noise floor).
 */
export type EncodeFormat =
  | { readonly container: 'wav'; readonly sampleFormat: 'pcm16' | 'pcm24' | 'float32' }
  | { readonly container: 'flac'; readonly sampleFormat: 'pcm16' | 'pcm24' }
  | { readonly container: 'mp3'; readonly bitrateKbps: Mp3BitrateKbps };

/**
 * How `encodeAudio` writes a format: WAV by Lacquer's own writer (`writeWavFile`), FLAC and
 * MP3 by ffmpeg.
 */
export type EncodePlan =
  | {
      readonly encoder: 'wav-writer';
      /** What the writer converts the floats to (dither, rounding: see `writeWavFile`). */
      readonly sampleFormat: WavSampleFormat;
    }
  | {
      readonly encoder: 'ffmpeg';
      /**
       * `tpdf16`: TPDF dither to 16 bits; `round24`: round to the 24-bit grid; `none`: floats as
       * they are. After `tpdf16`/`round24` every sample is on the target grid, so ffmpeg's
       * float → integer conversion is exact.
       */
      readonly quantization: 'tpdf16' | 'round24' | 'none';
      /** Output options for ffmpeg, muxer (`-f`) included. */
      readonly outputOptions: readonly string[];
    };

/**
 * LAME's algorithm quality for MP3 (`lame_set_quality`, ffmpeg's `-compression_level`; 0 best
 * and slowest … 9): 5 is "good quality, fast" in lame.h. It does not touch the bit rate (still
 * CBR; `-q:a` would switch LAME to VBR). Against ffmpeg's default (LAME's 3, "near-best") it
 * cuts the encode of a 30 s stereo preview at 320 kbps from about 0.48 to 0.40 s of CPU (7,
 * "ok quality", without noise shaping: 0.29 s). MP3 is for listening previews, not masters.
 */
export const MP3_COMPRESSION_LEVEL = 5;

/**
 * The {@link EncodePlan} of `format` for audio of `sampleRateHz` and `channelCount`.
 *
 * MP3 is constant bit rate at LAME quality {@link MP3_COMPRESSION_LEVEL}.
 *
 * MP3 rates: a rate in {@link MP3_SAMPLE_RATES_HZ} is kept; above 48 kHz, multiples of
 * 11025 Hz go to 44.1 kHz and the others to 48 kHz; other rates go up to the next rate MP3
 * carries. ffmpeg's resampler (swresample) does it.
 *
 * @throws LacquerError `MEDIA_INVALID_ARGUMENT` for a format that does not exist (an unknown
 *   container, sample format or MP3 bit rate); `MEDIA_CHANNELS_UNSUPPORTED` for MP3 of more
 *   than 2 channels.
 */
export function encodePlan(format: EncodeFormat, sampleRateHz: number, channelCount: number): EncodePlan {
  const common = ['-fflags', '+bitexact']; // no encoder version in the file: same audio, same bytes
  switch (format.container) {
    case 'wav': {
      if (!WAV_SAMPLE_FORMATS.includes(format.sampleFormat)) throw invalidFormat(format);
      return { encoder: 'wav-writer', sampleFormat: format.sampleFormat };
    }
    case 'flac': {
      const sampleFormat = {
        pcm16: ['-sample_fmt', 's16'],
        pcm24: ['-sample_fmt', 's32', '-bits_per_raw_sample', '24'],
      }[format.sampleFormat];
      if (sampleFormat === undefined) throw invalidFormat(format);
      return {
        encoder: 'ffmpeg',
        quantization: format.sampleFormat === 'pcm16' ? 'tpdf16' : 'round24',
        outputOptions: ['-c:a', 'flac', ...sampleFormat, ...common, '-f', 'flac'],
      };
    }
    case 'mp3': {
      if (!(MP3_BITRATES_KBPS as readonly number[]).includes(format.bitrateKbps)) throw invalidFormat(format);
      if (channelCount > 2) {
        throw new LacquerError(
          'MEDIA_CHANNELS_UNSUPPORTED',
          `MP3 carries 1 or 2 channels, not ${channelCount}`,
          {
            details: { container: 'mp3', channelCount },
          },
        );
      }
      const rateHz = mp3SampleRateHz(sampleRateHz);
      return {
        encoder: 'ffmpeg',
        quantization: 'none',
        outputOptions: [
          ['-c:a', 'libmp3lame', '-b:a', `${format.bitrateKbps}k`],
          ['-compression_level', String(MP3_COMPRESSION_LEVEL)],
          rateHz === sampleRateHz ? [] : ['-ar', String(rateHz)],
          common,
          ['-f', 'mp3'],
        ].flat(),
      };
    }
    default:
      return exhaustive(format);
  }
}

function mp3SampleRateHz(sampleRateHz: number): number {
  if ((MP3_SAMPLE_RATES_HZ as readonly number[]).includes(sampleRateHz)) return sampleRateHz;
  if (sampleRateHz > 48_000) return sampleRateHz % 11_025 === 0 ? 44_100 : 48_000;
  return MP3_SAMPLE_RATES_HZ.find((rateHz) => rateHz >= sampleRateHz) ?? 48_000;
}

function invalidFormat(format: unknown): LacquerError {
  return new LacquerError('MEDIA_INVALID_ARGUMENT', 'unknown encode format', { details: { format } });
}

function exhaustive(format: never): never {
  throw invalidFormat(format);
}
