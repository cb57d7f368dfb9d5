import type { PlanarAudio } from '@lacquer/dsp';
import { xorshift32 } from '@lacquer/testing/signals';
import type { BadInputEntry } from './bad-input-manifest.ts';
import type { BuildContext } from './build-context.ts';
import { flacSilence } from './flac-silence.ts';
import { pcmSamples } from './pcm-samples.ts';
import { fmtBody, riffBytes, WAVE_FORMAT } from './riff-bytes.ts';

/** One file of the corpus: its manifest entry and how to make its bytes. */
export interface BadInputCase extends BadInputEntry {
  build(context: BuildContext): Buffer | Promise<Buffer>;
}

const COMPLETED = { outcome: 'completed' } as const;
const failed = (code: Extract<BadInputEntry['expected'], { outcome: 'failed' }>['code']) =>
  ({ outcome: 'failed', code }) as const;
const UNSUPPORTED_TYPE = { outcome: 'rejected', httpStatus: 415, code: 'UPLOAD_TYPE_UNSUPPORTED' } as const;

const WAV = 'audio/wav';
/** Rate of most files: what a mix is usually bounced at. */
const RATE_HZ = 44_100;
/** Eight hours, seconds: far over the default `LACQUER_MAX_DURATION_SECONDS` (3600). */
const EIGHT_HOURS_SECONDS = 8 * 3600;

/** The mix of most files (default 2 s of stereo at 44.1 kHz, 353 KB as 16-bit WAV); shared, not to be changed. */
const mix = (
  context: BuildContext,
  durationSeconds = 2,
  channelCount = 2,
  sampleRateHz = RATE_HZ,
): PlanarAudio => context.mix({ sampleRateHz, durationSeconds, channelCount });

const silence = (durationSeconds: number, channelCount = 1, sampleRateHz = RATE_HZ): PlanarAudio => ({
  sampleRateHz,
  channels: Array.from(
    { length: channelCount },
    () => new Float32Array(Math.round(durationSeconds * sampleRateHz)),
  ),
});

const mapped = (audio: PlanarAudio, sample: (value: number, index: number) => number): PlanarAudio => ({
  sampleRateHz: audio.sampleRateHz,
  channels: audio.channels.map((channel) => channel.map(sample)),
});

/** A one-page PDF, as a browser would save it: text, not audio, whatever its name says. */
const PDF = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj',
    '4 0 obj << /Length 44 >> stream',
    'BT /F1 24 Tf 72 700 Td (Final mix v3) Tj ET',
    'endstream endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n'),
  'latin1',
);

/** An HTML error page saved under the name of the MP3 that was meant to be downloaded. */
const ERROR_PAGE = Buffer.from(
  `<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1>\n${'<p>The requested URL /mixes/final.mp3 was not found on this server.</p>\n'.repeat(40)}</body></html>\n`,
);

/** The first `fraction` of `bytes`, plus `extraBytes` (to cut inside a frame). */
const cut = (bytes: Buffer, fraction: number, extraBytes = 0): Buffer =>
  bytes.subarray(0, Math.floor(bytes.length * fraction) + extraBytes);

/** An ID3v2.4 tag of `sizeBytes` (a TXXX text frame and padding), with its size field as given. */
function id3Tag(sizeBytes: number, declaredSizeBytes = sizeBytes - 10): Buffer {
  const syncsafe = (value: number) =>
    Buffer.from([(value >> 21) & 0x7f, (value >> 14) & 0x7f, (value >> 7) & 0x7f, value & 0x7f]);
  const text = Buffer.from('\u0003Mastered? Not yet. This tag is mostly padding.', 'latin1');
  const frame = Buffer.concat([Buffer.from('TXXX', 'latin1'), syncsafe(text.length), Buffer.alloc(2), text]);
  const header = Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000', 'latin1'), syncsafe(declaredSizeBytes)]);
  return Buffer.concat([header, frame, Buffer.alloc(sizeBytes - 10 - frame.length)]);
}

/** A canonical WAV header of 16-bit PCM that declares `dataBytes` and holds `audio` (maybe fewer bytes). */
function wavDeclaring(audio: PlanarAudio, dataBytes: number): Buffer {
  const fmt = fmtBody({
    formatTag: WAVE_FORMAT.pcm,
    channelCount: audio.channels.length,
    sampleRateHz: audio.sampleRateHz,
    bitsPerSample: 16,
  });
  return riffBytes([
    { id: 'fmt ', body: fmt },
    { id: 'data', body: pcmSamples(audio, 's16'), sizeBytes: dataBytes },
  ]);
}

/**
 * The corpus: every class of bad input the platform must answer, and valid-but-unusual files
 * it must master. Expected answers are what a user should get (the documented codes of
 * `packages/errors/src/error-codes.ts`), not whatever the code happens to do.
 */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  // --- not audio -----------------------------------------------------------------------------
  {
    file: 'document.pdf',
    contentType: 'application/pdf',
    inputClass: 'not audio',
    description: 'A PDF declared as one: not an audio type.',
    expected: UNSUPPORTED_TYPE,
    build: () => PDF,
  },
  {
    file: 'renamed-document.wav',
    contentType: WAV,
    inputClass: 'not audio',
    description: 'The same PDF renamed to .wav and declared audio/wav.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: () => PDF,
  },
  {
    file: 'error-page.mp3',
    contentType: 'audio/mpeg',
    inputClass: 'not audio',
    description: 'An HTML 404 page saved as .mp3.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: () => ERROR_PAGE,
  },
  {
    file: 'random-bytes.flac',
    contentType: 'audio/flac',
    inputClass: 'not audio',
    description: '64 KiB of random bytes named .flac.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: () => {
      const next = xorshift32(0xbad);
      return Buffer.from(Uint8Array.from({ length: 65_536 }, () => Math.floor(next() * 256)));
    },
  },
  {
    file: 'picture.wav',
    contentType: WAV,
    inputClass: 'not audio',
    description: 'A PNG image named .wav: a video stream, no audio stream.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: (context) =>
      context.ffmpegArgs([
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=64x64:rate=1',
        '-frames:v',
        '1',
        '-f',
        'image2',
      ]),
  },
  {
    file: 'video-only.mp4',
    contentType: 'audio/mp4',
    inputClass: 'not audio',
    description: 'An MP4 with a video stream and no audio stream.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: (context) =>
      context.ffmpegArgs([
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=64x64:rate=10:duration=1',
        '-c:v',
        'mpeg4',
        '-f',
        'mp4',
      ]),
  },

  // --- wrong name or type --------------------------------------------------------------------
  {
    file: 'mix.txt',
    contentType: WAV,
    inputClass: 'wrong name or type',
    description: 'A valid WAV whose name ends in .txt.',
    expected: UNSUPPORTED_TYPE,
    build: (context) => context.wav(mix(context, 0.5, 1), 's16'),
  },
  {
    file: 'mix-without-extension',
    contentType: WAV,
    inputClass: 'wrong name or type',
    description: 'A valid WAV whose name has no extension.',
    expected: UNSUPPORTED_TYPE,
    build: (context) => context.wav(mix(context, 0.5, 1), 's16'),
  },
  {
    file: 'octet-stream.wav',
    contentType: 'application/octet-stream',
    inputClass: 'wrong name or type',
    description: 'A valid WAV declared application/octet-stream.',
    expected: UNSUPPORTED_TYPE,
    build: (context) => context.wav(mix(context, 0.5, 1), 's16'),
  },
  {
    file: 'flac-named.wav',
    contentType: WAV,
    inputClass: 'wrong name or type',
    description: 'A FLAC file named .wav and declared audio/wav: the content decides.',
    expected: COMPLETED,
    build: (context) => context.ffmpeg(context.wav(mix(context, 1.5), 's16'), ['-c:a', 'flac', '-f', 'flac']),
  },
  {
    file: 'mp3-named.flac',
    contentType: 'audio/flac',
    inputClass: 'wrong name or type',
    description: 'An MP3 named .flac and declared audio/flac.',
    expected: COMPLETED,
    build: (context) =>
      context.ffmpeg(context.wav(mix(context), 's16'), ['-c:a', 'libmp3lame', '-b:a', '192k', '-f', 'mp3']),
  },
  {
    file: 'video-with-audio.mp4',
    contentType: 'audio/mp4',
    inputClass: 'wrong name or type',
    description: 'An MP4 video with an AAC audio stream: the audio is mastered.',
    expected: COMPLETED,
    build: async (context) => {
      const audio = context.wav(mix(context), 's16');
      return context.ffmpeg(audio, [
        ...['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10:duration=2'],
        ...['-map', '1:v', '-map', '0:a', '-c:v', 'mpeg4', '-c:a', 'aac', '-b:a', '128k', '-shortest'],
        ...['-f', 'mp4'],
      ]);
    },
  },

  // --- empty or header only ------------------------------------------------------------------
  {
    file: 'zero-bytes.wav',
    contentType: WAV,
    inputClass: 'empty or header only',
    description: 'An empty file: its declared size (0) fails the upload schema.',
    expected: { outcome: 'rejected', httpStatus: 400, code: 'REQUEST_INVALID' },
    build: () => Buffer.alloc(0),
  },
  {
    file: 'header-only.wav',
    contentType: WAV,
    inputClass: 'empty or header only',
    description: 'A 44-byte WAV header whose data chunk is empty.',
    expected: failed('MEDIA_EMPTY'),
    build: (context) => context.wav(silence(0), 's16'),
  },
  {
    file: 'header-only-declares-10s.wav',
    contentType: WAV,
    inputClass: 'empty or header only',
    description: 'A 44-byte WAV header that declares 10 s of samples, and none of them.',
    expected: failed('MEDIA_EMPTY'),
    build: () => wavDeclaring(silence(0, 2), 10 * RATE_HZ * 4),
  },
  {
    file: 'streaminfo-only.flac',
    contentType: 'audio/flac',
    inputClass: 'empty or header only',
    description: 'A well-formed FLAC header (STREAMINFO, 1 s declared) and not one frame.',
    expected: failed('MEDIA_EMPTY'),
    build: async (context) => {
      const flac = await context.ffmpeg(context.wav(mix(context, 1), 's16'), ['-c:a', 'flac', '-f', 'flac']);
      // "fLaC", a block header and STREAMINFO, marked the last metadata block; the rest dropped.
      const header = Buffer.from(flac.subarray(0, 8 + 34));
      header[4] = header[4]! | 0x80;
      return header;
    },
  },

  // --- truncated -----------------------------------------------------------------------------
  {
    file: 'truncated-mid-frame.wav',
    contentType: WAV,
    inputClass: 'truncated',
    description: 'A 16-bit stereo WAV cut inside a frame at 60 % of its declared length.',
    expected: failed('MEDIA_DECODE_FAILED'),
    build: (context) => cut(context.wav(mix(context, 1), 's16'), 0.6, 1),
  },
  {
    file: 'truncated-on-frame.wav',
    contentType: WAV,
    inputClass: 'truncated',
    description: 'The same WAV cut on a frame boundary (no decoder error, only the data size tells).',
    expected: failed('MEDIA_DECODE_FAILED'),
    build: (context) => {
      const wav = context.wav(mix(context, 1), 's16');
      return wav.subarray(0, 44 + 4 * Math.floor((wav.length * 0.6) / 4));
    },
  },
  {
    file: 'truncated.flac',
    contentType: 'audio/flac',
    inputClass: 'truncated',
    description: 'A FLAC file cut in half.',
    expected: failed('MEDIA_DECODE_FAILED'),
    build: async (context) =>
      cut(await context.ffmpeg(context.wav(mix(context), 's16'), ['-c:a', 'flac', '-f', 'flac']), 0.5),
  },
  {
    file: 'truncated.mp3',
    contentType: 'audio/mpeg',
    inputClass: 'truncated',
    description: 'An MP3 with a Xing/LAME header cut in half.',
    expected: failed('MEDIA_DECODE_FAILED'),
    build: async (context) =>
      cut(
        await context.ffmpeg(context.wav(mix(context), 's16'), [
          '-c:a',
          'libmp3lame',
          '-b:a',
          '192k',
          '-f',
          'mp3',
        ]),
        0.5,
      ),
  },
  {
    file: 'truncated-faststart.m4a',
    contentType: 'audio/mp4',
    inputClass: 'truncated',
    description: 'An AAC .m4a with its index first (faststart), cut in half.',
    expected: failed('MEDIA_DECODE_FAILED'),
    build: async (context) =>
      cut(
        await context.ffmpeg(context.wav(mix(context), 's16'), [
          ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', '-f', 'ipod'],
        ]),
        0.5,
      ),
  },
  {
    file: 'truncated-in-header.wav',
    contentType: WAV,
    inputClass: 'truncated',
    description: 'The first 24 bytes of a WAV: cut inside its fmt chunk.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: (context) => context.wav(mix(context, 1), 's16').subarray(0, 24),
  },

  {
    file: 'declares-eight-hours.wav',
    contentType: WAV,
    inputClass: 'truncated',
    description: 'A 16-bit mono WAV whose data chunk declares 8 hours (2.5 GB) and holds 0.5 s: a cut file.',
    expected: failed('MEDIA_DECODE_FAILED'),
    build: () => wavDeclaring(silence(0.5), EIGHT_HOURS_SECONDS * RATE_HZ * 2),
  },

  // --- corrupt header ------------------------------------------------------------------------
  {
    file: 'zero-channels.wav',
    contentType: WAV,
    inputClass: 'corrupt header',
    description: 'A WAV whose fmt chunk says 0 channels.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: (context) => {
      const wav = context.wav(mix(context, 1, 1), 's16');
      wav.writeUInt16LE(0, 22);
      return wav;
    },
  },
  {
    file: 'zero-sample-rate.wav',
    contentType: WAV,
    inputClass: 'corrupt header',
    description: 'A WAV whose fmt chunk says 0 Hz.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: (context) => {
      const wav = context.wav(mix(context, 1, 1), 's16');
      wav.writeUInt32LE(0, 24);
      return wav;
    },
  },
  {
    file: 'chunk-past-end.wav',
    contentType: WAV,
    inputClass: 'corrupt header',
    description: 'A WAV whose first chunk (LIST) declares 1 GB, hiding fmt and data.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: (context) => {
      const samples = pcmSamples(mix(context, 1, 1), 's16');
      const fmt = fmtBody({ formatTag: 1, channelCount: 1, sampleRateHz: RATE_HZ, bitsPerSample: 16 });
      return riffBytes([
        {
          id: 'LIST',
          body: Buffer.from('INFOISFT\u0004\u0000\u0000\u0000bad\u0000', 'latin1'),
          sizeBytes: 1e9,
        },
        { id: 'fmt ', body: fmt },
        { id: 'data', body: samples },
      ]);
    },
  },
  {
    file: 'id3-size-past-end.mp3',
    contentType: 'audio/mpeg',
    inputClass: 'corrupt header',
    description: 'An MP3 behind an ID3 tag whose size field says 200 MB: readers skip the audio.',
    expected: failed('MEDIA_UNSUPPORTED'),
    build: async (context) => {
      const mp3 = await context.ffmpeg(context.wav(mix(context, 1), 's16'), [
        ...['-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0', '-id3v2_version', '0', '-f', 'mp3'],
      ]);
      return Buffer.concat([id3Tag(1024, 200_000_000), mp3]);
    },
  },

  // --- no signal -----------------------------------------------------------------------------
  {
    file: 'silence.wav',
    contentType: WAV,
    inputClass: 'no signal',
    description: '1 s of digital silence.',
    expected: failed('ENGINE_SILENT_INPUT'),
    build: (context) => context.wav(silence(1), 's16'),
  },
  {
    file: 'below-gate.wav',
    contentType: WAV,
    inputClass: 'no signal',
    description: 'Noise at −90 dBFS RMS (24-bit): under the −70 LUFS absolute gate.',
    expected: failed('ENGINE_SILENT_INPUT'),
    build: (context) => {
      const next = xorshift32(7);
      const amplitude = Math.sqrt(3) * 10 ** (-90 / 20);
      return context.wav(
        mapped(silence(1), () => amplitude * (2 * next() - 1)),
        's24',
      );
    },
  },
  {
    file: 'dc-only.wav',
    contentType: WAV,
    inputClass: 'no signal',
    description: '1 s of a constant +0.5 (DC, 0 Hz): no audible signal.',
    expected: failed('ENGINE_SILENT_INPUT'),
    build: (context) =>
      context.wav(
        mapped(silence(1), () => 0.5),
        's16',
      ),
  },

  // --- invalid samples -----------------------------------------------------------------------
  {
    file: 'nan.wav',
    contentType: WAV,
    inputClass: 'invalid samples',
    description: 'A 32-bit float WAV of the mix with one NaN sample.',
    expected: failed('MEDIA_INVALID_SAMPLES'),
    build: (context) =>
      context.wav(
        mapped(mix(context, 0.5, 1), (value, i) => (i === 20_000 ? Number.NaN : value)),
        'f32',
      ),
  },
  {
    file: 'infinity.wav',
    contentType: WAV,
    inputClass: 'invalid samples',
    description: 'A 64-bit float mono WAV of the mix with one +Infinity sample.',
    expected: failed('MEDIA_INVALID_SAMPLES'),
    build: (context) =>
      context.wav(
        mapped(mix(context, 1, 1, 22_050), (value, i) => (i === 11_000 ? Number.POSITIVE_INFINITY : value)),
        'f64',
      ),
  },

  // --- too short -----------------------------------------------------------------------------
  {
    file: 'one-sample.wav',
    contentType: WAV,
    inputClass: 'too short',
    description: 'A WAV of a single sample.',
    expected: failed('ENGINE_INPUT_TOO_SHORT'),
    build: (context) =>
      context.wav(
        mapped(silence(1 / RATE_HZ), () => 0.5),
        's16',
      ),
  },
  {
    file: '300-ms.wav',
    contentType: WAV,
    inputClass: 'too short',
    description: '300 ms of the mix: under one 400 ms loudness block.',
    expected: failed('ENGINE_INPUT_TOO_SHORT'),
    build: (context) => context.wav(mix(context, 0.3), 's16'),
  },
  {
    file: 'one-frame.mp3',
    contentType: 'audio/mpeg',
    inputClass: 'too short',
    description: 'An MP3 of 20 ms (a frame or two).',
    expected: failed('ENGINE_INPUT_TOO_SHORT'),
    build: (context) =>
      context.ffmpeg(context.wav(mix(context, 0.02), 's16'), [
        '-c:a',
        'libmp3lame',
        '-b:a',
        '128k',
        '-f',
        'mp3',
      ]),
  },

  // --- too long ------------------------------------------------------------------------------
  {
    file: 'eight-hours-of-silence.flac',
    contentType: 'audio/flac',
    inputClass: 'too long',
    description: '8 hours of stereo silence at 44.1 kHz, declared in STREAMINFO and all there (350 KB).',
    expected: failed('MEDIA_TOO_LONG'),
    build: () =>
      flacSilence({ durationSeconds: EIGHT_HOURS_SECONDS, sampleRateHz: RATE_HZ, channelCount: 2 }),
  },

  // --- channels ------------------------------------------------------------------------------
  {
    file: 'surround-5.1.wav',
    contentType: WAV,
    inputClass: 'channels',
    description: 'A 6-channel (5.1) 16-bit WAV at 16 kHz.',
    expected: failed('MEDIA_CHANNELS_UNSUPPORTED'),
    build: (context) => context.wav(mix(context, 0.5, 6, 16_000), 's16'),
  },
  {
    file: 'surround-7.1.wav',
    contentType: WAV,
    inputClass: 'channels',
    description: 'An 8-channel (7.1) 16-bit WAV at 16 kHz.',
    expected: failed('MEDIA_CHANNELS_UNSUPPORTED'),
    build: (context) => context.wav(mix(context, 0.5, 8, 16_000), 's16'),
  },

  // --- sample rate ---------------------------------------------------------------------------
  {
    file: 'rate-8000.wav',
    contentType: WAV,
    inputClass: 'sample rate',
    description: '2 s mono at 8 kHz, the lowest supported rate.',
    expected: COMPLETED,
    build: (context) => context.wav(mix(context, 2, 1, 8000), 's16'),
  },
  {
    file: 'rate-384000.wav',
    contentType: WAV,
    inputClass: 'sample rate',
    description: '0.6 s mono at 384 kHz, the highest supported rate.',
    expected: COMPLETED,
    build: (context) => context.wav(mix(context, 0.6, 1, 384_000), 's16'),
  },
  {
    file: 'rate-4000.wav',
    contentType: WAV,
    inputClass: 'sample rate',
    description: '2 s mono at 4 kHz: under the supported range.',
    expected: failed('MEDIA_SAMPLE_RATE_UNSUPPORTED'),
    build: (context) => context.wav(mix(context, 2, 1, 4000), 's16'),
  },
  {
    file: 'rate-768000.wav',
    contentType: WAV,
    inputClass: 'sample rate',
    description: '0.5 s mono at 768 kHz (8-bit): over the supported range.',
    expected: failed('MEDIA_SAMPLE_RATE_UNSUPPORTED'),
    build: (context) => context.wav(mix(context, 0.5, 1, 768_000), 'u8'),
  },

  // --- odd but valid -------------------------------------------------------------------------
  {
    file: 'control.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'The control: 2 s of the mix, 16-bit stereo at 44.1 kHz.',
    expected: COMPLETED,
    build: (context) => context.wav(mix(context), 's16'),
  },
  {
    file: 'pcm-8-bit.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: '8-bit unsigned PCM, stereo.',
    expected: COMPLETED,
    build: (context) => context.wav(mix(context, 1.5), 'u8'),
  },
  {
    file: 'pcm-24-bit-extensible.wav',
    contentType: 'audio/x-wav',
    inputClass: 'odd but valid',
    description: '24-bit PCM in WAVE_FORMAT_EXTENSIBLE, mono.',
    expected: COMPLETED,
    build: (context) => {
      const fmt = fmtBody({
        ...{ formatTag: WAVE_FORMAT.extensible, channelCount: 1, sampleRateHz: 48_000, bitsPerSample: 24 },
        extensible: { channelMask: 0x4, subFormatTag: WAVE_FORMAT.pcm },
      });
      return riffBytes([
        { id: 'fmt ', body: fmt },
        { id: 'data', body: pcmSamples(mix(context, 1.5, 1, 48_000), 's24') },
      ]);
    },
  },
  {
    file: 'pcm-32-bit-integer.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: '32-bit integer PCM, mono.',
    expected: COMPLETED,
    build: (context) => context.wav(mix(context, 1, 1), 's32'),
  },
  {
    file: 'float-64-bit.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: '64-bit IEEE float, mono at 22.05 kHz.',
    expected: COMPLETED,
    build: (context) => context.wav(mix(context, 1, 1, 22_050), 'f64'),
  },
  {
    file: 'float-over-full-scale.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: '32-bit float peaking at +12 dBFS (never clipped on decode).',
    expected: COMPLETED,
    build: (context) =>
      context.wav(
        context.mix({ sampleRateHz: RATE_HZ, durationSeconds: 1, channelCount: 1, peakDbfs: 12 }),
        'f32',
      ),
  },
  {
    file: 'square-full-scale.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'A 100 Hz square wave at full scale (±32767), mono.',
    expected: COMPLETED,
    build: (context) =>
      context.wav(
        mapped(silence(1.5), (_, i) => (Math.floor((i * 200) / RATE_HZ) % 2 === 0 ? 1 : -1)),
        's16',
      ),
  },
  {
    file: 'hard-clipped.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'The mix driven 12 dB into hard clipping at full scale.',
    expected: COMPLETED,
    build: (context) =>
      context.wav(
        mapped(mix(context, 1.5, 1), (value) => Math.max(-1, Math.min(1, value * 4))),
        's16',
      ),
  },
  {
    file: 'dc-offset.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'The mix (−9 dBFS peak) riding on a DC offset of +0.3.',
    expected: COMPLETED,
    build: (context) =>
      context.wav(
        mapped(
          context.mix({ sampleRateHz: RATE_HZ, durationSeconds: 1.5, channelCount: 1, peakDbfs: -9 }),
          (value) => value + 0.3,
        ),
        's16',
      ),
  },
  {
    file: 'very-quiet.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'The mix at −50 dBFS peak (24-bit): quiet, but above the gate.',
    expected: COMPLETED,
    build: (context) =>
      context.wav(
        context.mix({ sampleRateHz: RATE_HZ, durationSeconds: 1.5, channelCount: 1, peakDbfs: -50 }),
        's24',
      ),
  },
  {
    file: 'half-second.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: '500 ms of the mix: just over one loudness block.',
    expected: COMPLETED,
    build: (context) => context.wav(mix(context, 0.5), 's16'),
  },
  {
    file: 'odd-chunks.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description:
      'JUNK, an odd-sized unknown chunk (with its pad byte), LIST/INFO, bext and fact before fmt and data; an id3 chunk after.',
    expected: COMPLETED,
    build: (context) => {
      const fmt = fmtBody({
        formatTag: WAVE_FORMAT.pcm,
        channelCount: 2,
        sampleRateHz: RATE_HZ,
        bitsPerSample: 16,
      });
      const audio = mix(context, 1);
      return riffBytes([
        { id: 'JUNK', body: Buffer.alloc(28) },
        { id: 'odd!', body: Buffer.from('seven b', 'latin1') },
        {
          id: 'LIST',
          body: Buffer.from('INFOINAM\u000b\u0000\u0000\u0000Final mix\u0000\u0000\u0000', 'latin1'),
        },
        { id: 'bext', body: Buffer.alloc(602) },
        { id: 'fmt ', body: fmt },
        { id: 'fact', body: Buffer.from(Uint32Array.of(audio.channels[0]!.length).buffer) },
        { id: 'data', body: pcmSamples(audio, 's16') },
        { id: 'id3 ', body: id3Tag(128) },
      ]);
    },
  },
  {
    file: 'fmt-after-data.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'A WAV whose data chunk comes before its fmt chunk.',
    expected: COMPLETED,
    build: (context) => {
      const fmt = fmtBody({
        formatTag: WAVE_FORMAT.pcm,
        channelCount: 1,
        sampleRateHz: RATE_HZ,
        bitsPerSample: 16,
      });
      return riffBytes([
        { id: 'data', body: pcmSamples(mix(context, 1.5, 1), 's16') },
        { id: 'fmt ', body: fmt },
      ]);
    },
  },
  {
    file: 'streamed-unknown-size.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'A WAV written to a pipe: RIFF and data sizes 0xFFFFFFFF ("unknown").',
    expected: COMPLETED,
    build: (context) => {
      const fmt = fmtBody({
        formatTag: WAVE_FORMAT.pcm,
        channelCount: 1,
        sampleRateHz: RATE_HZ,
        bitsPerSample: 16,
      });
      return riffBytes(
        [
          { id: 'fmt ', body: fmt },
          { id: 'data', body: pcmSamples(mix(context, 1.5, 1), 's16'), sizeBytes: 0xffff_ffff },
        ],
        { riffSizeBytes: 0xffff_ffff },
      );
    },
  },
  {
    file: 'rf64.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'A small RF64 (EBU Tech 3306) file: sizes in a ds64 chunk.',
    expected: COMPLETED,
    build: (context) => {
      const samples = pcmSamples(mix(context, 1.5, 1), 's16');
      const fmt = fmtBody({
        formatTag: WAVE_FORMAT.pcm,
        channelCount: 1,
        sampleRateHz: RATE_HZ,
        bitsPerSample: 16,
      });
      const ds64 = Buffer.alloc(28);
      ds64.writeBigUInt64LE(BigInt(4 + 36 + 24 + 8 + samples.length), 0);
      ds64.writeBigUInt64LE(BigInt(samples.length), 8);
      ds64.writeBigUInt64LE(BigInt(samples.length / 2), 16);
      return riffBytes(
        [
          { id: 'ds64', body: ds64 },
          { id: 'fmt ', body: fmt },
          { id: 'data', body: samples, sizeBytes: 0xffff_ffff },
        ],
        { form: 'RF64', riffSizeBytes: 0xffff_ffff },
      );
    },
  },
  {
    file: 'rifx-big-endian.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'RIFX: a big-endian WAV (16-bit mono).',
    expected: COMPLETED,
    build: (context) => {
      const fmt = fmtBody({
        ...{ formatTag: WAVE_FORMAT.pcm, channelCount: 1, sampleRateHz: RATE_HZ, bitsPerSample: 16 },
        bigEndian: true,
      });
      return riffBytes(
        [
          { id: 'fmt ', body: fmt },
          { id: 'data', body: pcmSamples(mix(context, 1.5, 1), 's16', true) },
        ],
        { form: 'RIFX' },
      );
    },
  },
  {
    file: 'a-law.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'G.711 A-law in WAV, mono.',
    expected: COMPLETED,
    build: (context) =>
      context.ffmpeg(context.wav(mix(context, 2, 1), 's16'), ['-c:a', 'pcm_alaw', '-f', 'wav']),
  },
  {
    file: 'ms-adpcm.wav',
    contentType: WAV,
    inputClass: 'odd but valid',
    description: 'Microsoft ADPCM in WAV, stereo.',
    expected: COMPLETED,
    build: (context) => context.ffmpeg(context.wav(mix(context), 's16'), ['-c:a', 'adpcm_ms', '-f', 'wav']),
  },
  {
    file: 'huge-id3.mp3',
    contentType: 'audio/mpeg',
    inputClass: 'odd but valid',
    description: 'An MP3 behind a 1 MiB ID3v2 tag (a text frame and padding).',
    expected: COMPLETED,
    build: async (context) => {
      const mp3 = await context.ffmpeg(context.wav(mix(context), 's16'), [
        ...['-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '0', '-f', 'mp3'],
      ]);
      return Buffer.concat([id3Tag(1 << 20), mp3]);
    },
  },
  {
    file: 'vorbis.ogg',
    contentType: 'audio/ogg',
    inputClass: 'odd but valid',
    description: 'Ogg Vorbis, stereo.',
    expected: COMPLETED,
    build: (context) =>
      context.ffmpeg(context.wav(mix(context), 's16'), ['-c:a', 'libvorbis', '-q:a', '4', '-f', 'ogg']),
  },
  {
    file: 'aac.m4a',
    contentType: 'audio/x-m4a',
    inputClass: 'odd but valid',
    description: 'AAC in an .m4a, stereo.',
    expected: COMPLETED,
    build: (context) =>
      context.ffmpeg(context.wav(mix(context), 's16'), ['-c:a', 'aac', '-b:a', '128k', '-f', 'ipod']),
  },
];
