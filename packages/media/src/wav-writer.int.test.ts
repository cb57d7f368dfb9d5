import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTpdfDither, type PlanarAudio } from '@lacquer/dsp';
import { expectWithin, fixturePath, whiteNoise } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './decode-audio.ts';
import { probeAudio } from './probe-audio.ts';
import { expectLacquerError } from './test-support/expect-lacquer-error.ts';
import { floatWavBytes } from './test-support/float-wav-bytes.ts';
import { runFfmpegCli } from './test-support/run-ffmpeg-cli.ts';
import { readWavDataLength } from './wav-data-length.ts';
import { type WavSampleFormat, wavHeader } from './wav-header.ts';
import { writeWavFile } from './wav-writer.ts';

/** Any seed: the writer and the reference dither below must only agree. */
const DITHER_SEED = 12_345;
/** ffprobe prints durations with 6 decimals: half a microsecond of rounding. */
const FFPROBE_DURATION_TOLERANCE_SECONDS = 0.000_001;

const FFMPEG_CODECS: Record<WavSampleFormat, string> = {
  pcm16: 'pcm_s16le',
  pcm24: 'pcm_s24le',
  float32: 'pcm_f32le',
};

let dir: string;
let music: PlanarAudio;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-wav-writer-'));
  music = await decodeAudio(fixturePath('audio/chaos-god-mix-15s.flac'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * What the samples must become, computed here independently of the writer: the 16-bit TPDF
 * dither of `@lacquer/dsp` (same seed, one block), `Math.round` to the 24-bit grid
 * (saturated), the floats as they are.
 */
function expectedGrid(audio: PlanarAudio, sampleFormat: WavSampleFormat): PlanarAudio {
  const { sampleRateHz, channels } = audio;
  if (sampleFormat === 'float32') return audio;
  if (sampleFormat === 'pcm16') {
    const dithered = channels.map((channel) => new Float32Array(channel.length));
    createTpdfDither({ bitDepth: 16, seed: DITHER_SEED }).process(channels, dithered);
    return { sampleRateHz, channels: dithered };
  }
  const steps = 8_388_608;
  return {
    sampleRateHz,
    channels: channels.map((channel) =>
      channel.map((v) => Math.min(steps - 1, Math.max(-steps, Math.round(v * steps))) / steps),
    ),
  };
}

/** Samples where `a` and `b` differ (−0 and 0 count as equal), with channel counts and lengths checked. */
function differing(a: PlanarAudio, b: PlanarAudio): number {
  expect(a.channels.length).toBe(b.channels.length);
  let count = 0;
  a.channels.forEach((x, c) => {
    const y = b.channels[c]!;
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) count++;
  });
  return count;
}

/** Noise at −10 dBFS RMS with a few samples over full scale, `lengthSamples` per channel. */
function hotNoise(sampleRateHz: number, channelCount: number, lengthSamples: number): PlanarAudio {
  const noise = whiteNoise({
    sampleRateHz,
    durationSeconds: lengthSamples / sampleRateHz,
    rmsDbfs: -10,
    channelCount,
    seed: 7,
  });
  noise.channels[0]![1] = 1.5;
  noise.channels[channelCount - 1]![2] = -1.25;
  return noise;
}

let fileIndex = 0;
async function written(audio: PlanarAudio, sampleFormat: WavSampleFormat): Promise<string> {
  const path = join(dir, `${sampleFormat}-${fileIndex++}.wav`);
  await writeWavFile(audio, path, { sampleFormat, ditherSeed: DITHER_SEED });
  return path;
}

/** ffmpeg's own WAV of `audio`'s expected grid values (float WAV in, `codec` out, exact on the grid). */
async function ffmpegWav(audio: PlanarAudio, sampleFormat: WavSampleFormat): Promise<Buffer> {
  const input = join(dir, `ffmpeg-in-${fileIndex}.wav`);
  const output = join(dir, `ffmpeg-out-${fileIndex++}.wav`);
  await writeFile(input, floatWavBytes(expectedGrid(audio, sampleFormat)));
  runFfmpegCli([
    '-i',
    input,
    '-c:a',
    FFMPEG_CODECS[sampleFormat],
    '-fflags',
    '+bitexact',
    '-f',
    'wav',
    output,
  ]);
  return readFile(output);
}

describe('writeWavFile', () => {
  // Differential: against ffmpeg's wav muxer (what `encodeAudio` used before), byte for byte,
  // header included. Odd lengths: 24-bit mono needs the pad byte.
  it.each<[WavSampleFormat, number, number]>([
    ['pcm16', 1, 8000],
    ['pcm16', 2, 44_100],
    ['pcm16', 6, 48_000],
    ['pcm24', 1, 8000],
    ['pcm24', 2, 44_100],
    ['pcm24', 6, 192_000],
    ['float32', 1, 192_000],
    ['float32', 2, 8000],
    ['float32', 6, 44_100],
  ])(
    '%s, %i channel(s) at %i Hz: the same bytes as ffmpeg writes',
    async (sampleFormat, channelCount, rateHz) => {
      const audio = hotNoise(rateHz, channelCount, 4001);
      const ours = await readFile(await written(audio, sampleFormat));
      expect(ours.equals(await ffmpegWav(audio, sampleFormat))).toBe(true);
    },
  );

  it.each<WavSampleFormat>(['pcm16', 'pcm24', 'float32'])(
    '%s of 15 s of music (several 1 MiB chunks): the same bytes as ffmpeg writes',
    async (sampleFormat) => {
      const ours = await readFile(await written(music, sampleFormat));
      expect(ours.equals(await ffmpegWav(music, sampleFormat))).toBe(true);
    },
  );

  it.each<WavSampleFormat>(['pcm16', 'pcm24', 'float32'])(
    '%s round trip through decodeAudio: exactly the expected grid values',
    async (sampleFormat) => {
      // mono 24-bit chunks are 349,525 frames: not a multiple of the 4-sample packing
      for (const audio of [music, hotNoise(44_100, 1, 400_001)]) {
        const decoded = await decodeAudio(await written(audio, sampleFormat));
        expect(decoded.sampleRateHz).toBe(audio.sampleRateHz);
        expect(differing(decoded, expectedGrid(audio, sampleFormat))).toBe(0);
      }
    },
  );

  it.each<[WavSampleFormat, number, number, string | undefined]>([
    ['pcm16', 1, 8000, undefined],
    ['pcm16', 2, 192_000, undefined],
    ['pcm24', 1, 44_100, 'mono'],
    ['pcm24', 2, 192_000, 'stereo'],
    ['pcm24', 6, 48_000, '5.1'],
    ['float32', 2, 8000, 'stereo'],
    ['float32', 6, 192_000, '5.1'],
  ])(
    'ffprobe reads %s, %i channel(s) at %i Hz (layout %s)',
    async (sampleFormat, channelCount, rateHz, layout) => {
      const lengthSamples = rateHz / 4;
      const path = await written(hotNoise(rateHz, channelCount, lengthSamples), sampleFormat);
      const probe = await probeAudio(path);
      expect(probe).toMatchObject({
        formatName: 'wav',
        codecName: FFMPEG_CODECS[sampleFormat],
        sampleRateHz: rateHz,
        channelCount,
        bitsPerSample: { pcm16: 16, pcm24: 24, float32: 32 }[sampleFormat],
        channelLayout: layout,
      });
      expectWithin(probe.durationSeconds!, 0.25, FFPROBE_DURATION_TOLERANCE_SECONDS, 'duration (s)');
    },
  );

  it('writes a file of exactly header + samples + pad, and an empty one for no samples', async () => {
    const path = await written(hotNoise(44_100, 1, 3), 'pcm24');
    expect((await stat(path)).size).toBe(68 + 9 + 1);
    expect(await readWavDataLength(path)).toEqual({ dataBytes: 9, blockAlignBytes: 3 });
    const empty = await written({ sampleRateHz: 44_100, channels: [new Float32Array(0)] }, 'pcm16');
    expect((await stat(empty)).size).toBe(44);
  });

  it('RF64 past 4 GiB: ffprobe and readWavDataLength read the ds64 sizes', async () => {
    // The header the writer would put before 2^31 + 1 stereo 16-bit frames (8 GiB), on a sparse file.
    const lengthSamples = 2 ** 31 + 1;
    const header = wavHeader({ sampleFormat: 'pcm16', channelCount: 2, sampleRateHz: 48_000, lengthSamples });
    const path = join(dir, 'rf64.wav');
    await writeFile(path, header.bytes);
    await truncate(path, header.bytes.length + header.dataBytes);
    expect(await readWavDataLength(path)).toEqual({ dataBytes: lengthSamples * 4, blockAlignBytes: 4 });
    const probe = await probeAudio(path);
    expect(probe).toMatchObject({ codecName: 'pcm_s16le', channelCount: 2, sampleRateHz: 48_000 });
    expectWithin(
      probe.durationSeconds!,
      lengthSamples / 48_000,
      FFPROBE_DURATION_TOLERANCE_SECONDS,
      'duration (s)',
    );
  });

  it('MEDIA_ENCODE_FAILED with the fs error code when the file cannot be created', async () => {
    const error = await expectLacquerError(
      writeWavFile(music, join(dir, 'no-such-dir', 'x.wav'), {
        sampleFormat: 'pcm24',
        ditherSeed: DITHER_SEED,
      }),
      'MEDIA_ENCODE_FAILED',
    );
    expect(error.details.fsErrorCode).toBe('ENOENT');
  });

  it('MEDIA_INVALID_ARGUMENT, before creating anything, for audio no WAV header can describe', async () => {
    const path = join(dir, 'absurd-rate.wav');
    await expectLacquerError(
      writeWavFile({ sampleRateHz: 2 ** 31, channels: [new Float32Array(4)] }, path, {
        sampleFormat: 'float32',
        ditherSeed: DITHER_SEED,
      }),
      'MEDIA_INVALID_ARGUMENT',
    );
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
