import { isLacquerError } from '@lacquer/errors';
import { describe, expect, it } from 'vitest';
import { type EncodeFormat, type EncodePlan, encodePlan, MP3_COMPRESSION_LEVEL } from './encode-format.ts';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isLacquerError(error) ? error.code : 'not a LacquerError';
  }
  return undefined;
}

/** The value following `option` in `options`. */
function optionValue(options: readonly string[], option: string): string | undefined {
  const index = options.indexOf(option);
  return index < 0 ? undefined : options[index + 1];
}

/** The ffmpeg options of a plan that goes through ffmpeg. */
function ffmpegOptions(plan: EncodePlan): readonly string[] {
  if (plan.encoder !== 'ffmpeg') throw new Error(`expected an ffmpeg plan, got ${plan.encoder}`);
  return plan.outputOptions;
}

describe('encodePlan', () => {
  it.each<[EncodeFormat, string]>([
    [{ container: 'wav', sampleFormat: 'pcm16' }, 'pcm16'],
    [{ container: 'wav', sampleFormat: 'pcm24' }, 'pcm24'],
    [{ container: 'wav', sampleFormat: 'float32' }, 'float32'],
  ])('%o: the WAV writer, %s', (format, sampleFormat) => {
    expect(encodePlan(format, 44_100, 2)).toEqual({ encoder: 'wav-writer', sampleFormat });
  });

  it.each<[EncodeFormat, string, string, string | undefined]>([
    [{ container: 'flac', sampleFormat: 'pcm16' }, 'tpdf16', 'flac', 's16'],
    [{ container: 'flac', sampleFormat: 'pcm24' }, 'round24', 'flac', 's32'],
    [{ container: 'mp3', bitrateKbps: 320 }, 'none', 'libmp3lame', undefined],
  ])(
    '%o: ffmpeg, quantization %s, codec %s, sample format %s',
    (format, quantization, codec, sampleFormat) => {
      const plan = encodePlan(format, 44_100, 2);
      expect(plan).toMatchObject({ encoder: 'ffmpeg', quantization });
      const options = ffmpegOptions(plan);
      expect(optionValue(options, '-c:a')).toBe(codec);
      expect(optionValue(options, '-sample_fmt')).toBe(sampleFormat);
      expect(optionValue(options, '-f')).toBe(format.container);
    },
  );

  it('MP3 stays constant bit rate at LAME quality 5: -compression_level, never -q:a (VBR)', () => {
    const options = ffmpegOptions(encodePlan({ container: 'mp3', bitrateKbps: 320 }, 44_100, 2));
    expect(optionValue(options, '-compression_level')).toBe(String(MP3_COMPRESSION_LEVEL));
    expect(MP3_COMPRESSION_LEVEL).toBe(5);
    expect(options).not.toContain('-q:a');
    expect(optionValue(options, '-b:a')).toBe('320k');
  });

  it('writes 24-bit FLAC as 24 bits, not 32', () => {
    const options = ffmpegOptions(encodePlan({ container: 'flac', sampleFormat: 'pcm24' }, 48_000, 2));
    expect(optionValue(options, '-bits_per_raw_sample')).toBe('24');
  });

  it.each([
    [44_100, undefined],
    [8_000, undefined],
    [96_000, '48000'],
    [88_200, '44100'],
    [192_000, '48000'],
    [37_800, '44100'],
    [6_000, '8000'],
  ])('MP3 at %i Hz resamples to %s', (sampleRateHz, resampledHz) => {
    const options = ffmpegOptions(encodePlan({ container: 'mp3', bitrateKbps: 192 }, sampleRateHz, 2));
    expect(optionValue(options, '-ar')).toBe(resampledHz);
    expect(optionValue(options, '-b:a')).toBe('192k');
  });

  it('rejects MP3 of more than 2 channels with MEDIA_CHANNELS_UNSUPPORTED', () => {
    expect(codeOf(() => encodePlan({ container: 'mp3', bitrateKbps: 320 }, 48_000, 6))).toBe(
      'MEDIA_CHANNELS_UNSUPPORTED',
    );
  });

  it.each([
    { container: 'mp3', bitrateKbps: 300 },
    { container: 'flac', sampleFormat: 'float32' },
    { container: 'wav', sampleFormat: 'pcm8' },
    { container: 'ogg' },
  ])('rejects %o with MEDIA_INVALID_ARGUMENT', (format) => {
    expect(codeOf(() => encodePlan(format as unknown as EncodeFormat, 44_100, 2))).toBe(
      'MEDIA_INVALID_ARGUMENT',
    );
  });
});
