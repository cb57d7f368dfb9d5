import { isLacquerError } from '@lacquer/errors';
import { describe, expect, it } from 'vitest';
import { type EncodeFormat, encodePlan } from './encode-format.ts';

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

describe('encodePlan', () => {
  it.each<[EncodeFormat, string, string, string | undefined]>([
    [{ container: 'wav', sampleFormat: 'pcm16' }, 'tpdf16', 'pcm_s16le', undefined],
    [{ container: 'wav', sampleFormat: 'pcm24' }, 'round24', 'pcm_s24le', undefined],
    [{ container: 'wav', sampleFormat: 'float32' }, 'none', 'pcm_f32le', undefined],
    [{ container: 'flac', sampleFormat: 'pcm16' }, 'tpdf16', 'flac', 's16'],
    [{ container: 'flac', sampleFormat: 'pcm24' }, 'round24', 'flac', 's32'],
    [{ container: 'mp3', bitrateKbps: 320 }, 'none', 'libmp3lame', undefined],
  ])('%o: quantization %s, codec %s, sample format %s', (format, quantization, codec, sampleFormat) => {
    const plan = encodePlan(format, 44_100, 2);
    expect(plan.quantization).toBe(quantization);
    expect(optionValue(plan.outputOptions, '-c:a')).toBe(codec);
    expect(optionValue(plan.outputOptions, '-sample_fmt')).toBe(sampleFormat);
    expect(optionValue(plan.outputOptions, '-f')).toBe(format.container);
  });

  it('writes 24-bit FLAC as 24 bits, not 32', () => {
    const plan = encodePlan({ container: 'flac', sampleFormat: 'pcm24' }, 48_000, 2);
    expect(optionValue(plan.outputOptions, '-bits_per_raw_sample')).toBe('24');
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
    const plan = encodePlan({ container: 'mp3', bitrateKbps: 192 }, sampleRateHz, 2);
    expect(optionValue(plan.outputOptions, '-ar')).toBe(resampledHz);
    expect(optionValue(plan.outputOptions, '-b:a')).toBe('192k');
  });

  it('rejects MP3 of more than 2 channels with MEDIA_CHANNELS_UNSUPPORTED', () => {
    expect(codeOf(() => encodePlan({ container: 'mp3', bitrateKbps: 320 }, 48_000, 6))).toBe(
      'MEDIA_CHANNELS_UNSUPPORTED',
    );
  });

  it.each([
    { container: 'mp3', bitrateKbps: 300 },
    { container: 'flac', sampleFormat: 'float32' },
    { container: 'ogg' },
  ])('rejects %o with MEDIA_INVALID_ARGUMENT', (format) => {
    expect(codeOf(() => encodePlan(format as unknown as EncodeFormat, 44_100, 2))).toBe(
      'MEDIA_INVALID_ARGUMENT',
    );
  });
});
