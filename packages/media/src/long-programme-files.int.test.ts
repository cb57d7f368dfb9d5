import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanarAudio } from '@lacquer/dsp';
import { fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './decode-audio.ts';
import { decodeToFrameFile } from './decode-to-frame-file.ts';
import { encodeAudio } from './encode-audio.ts';
import { createFloatFrameFile } from './float-frame-file.ts';
import { probeAudio } from './probe-audio.ts';
import { assertSupportedAudio } from './supported-audio.ts';
import { expectLacquerError } from './test-support/expect-lacquer-error.ts';
import { runFfmpegCli } from './test-support/run-ffmpeg-cli.ts';
import { createWavBlockWriter } from './wav-block-writer.ts';
import type { WavSampleFormat } from './wav-header.ts';

// The media side of the long-programme path: the scratch store, the decoder into it, the WAV
// writer in blocks, and the checks a worker makes on a probe before decoding.

const FIXTURE = fixturePath('audio/chaos-god-mix-15s.flac');
/** The seed `encodeAudio` dithers 16-bit output with (encode-audio.ts). */
const ENCODER_DITHER_SEED = 0x4c41_4351;

let dir: string;
let music: PlanarAudio;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-long-files-'));
  music = await decodeAudio(FIXTURE);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytesOf = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
const sameBytes = (a: Float32Array, b: Float32Array) => bytesOf(a).equals(bytesOf(b));
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('decodeToFrameFile and createFloatFrameFile', () => {
  it('differential: the decoded scratch file holds the samples decodeAudio gives', async () => {
    const file = await decodeToFrameFile(FIXTURE, {
      directory: dir,
      name: 'fixture',
      blockLengthSamples: 10_000,
    });
    try {
      expect(file.sampleRateHz).toBe(music.sampleRateHz);
      expect(file.lengthSamples).toBe(music.channels[0]!.length);
      const read = music.channels.map(() => new Float32Array(file.lengthSamples));
      file.read(0, read);
      // Bytes, not toEqual: vitest compares 660 000-element arrays element by element, slowly.
      read.forEach((channel, c) => {
        expect(sameBytes(channel, music.channels[c]!)).toBe(true);
      });
      const middle = [new Float32Array(7), new Float32Array(7)];
      file.read(12_345, middle);
      expect(middle[1]).toEqual(music.channels[1]!.slice(12_345, 12_352));
    } finally {
      file.remove();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes in place and extends at the end; refuses reads outside and gaps', async () => {
    const file = createFloatFrameFile({ directory: dir, name: 'store', channelCount: 1, sampleRateHz: 8000 });
    file.write(0, [new Float32Array([1, 2, 3])]);
    file.write(3, [new Float32Array([4, 5])]);
    file.write(1, [new Float32Array([-2])]);
    const all = [new Float32Array(5)];
    file.read(0, all);
    expect(Array.from(all[0]!)).toEqual([1, -2, 3, 4, 5]);
    await expectLacquerError(async () => file.read(3, [new Float32Array(3)]), 'MEDIA_INVALID_ARGUMENT');
    await expectLacquerError(async () => file.write(6, [new Float32Array(1)]), 'MEDIA_INVALID_ARGUMENT');
    file.remove();
    file.remove();
    await expectLacquerError(async () => file.read(0, [new Float32Array(1)]), 'MEDIA_INVALID_ARGUMENT');
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails with MEDIA_TOO_LONG before decoding a file that declares more, and leaves nothing behind', async () => {
    await expectLacquerError(
      decodeToFrameFile(FIXTURE, { directory: dir, maxDurationSeconds: 5 }),
      'MEDIA_TOO_LONG',
    );
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('createWavBlockWriter', () => {
  it.each<WavSampleFormat>(['pcm24', 'pcm16', 'float32'])(
    'differential: %s in uneven blocks gives the bytes encodeAudio writes',
    async (sampleFormat) => {
      const whole = join(dir, `whole-${sampleFormat}.wav`);
      const blocks = join(dir, `blocks-${sampleFormat}.wav`);
      await encodeAudio(music, whole, { container: 'wav', sampleFormat });
      const lengthSamples = music.channels[0]!.length;
      const writer = createWavBlockWriter(blocks, {
        sampleFormat,
        channelCount: 2,
        sampleRateHz: music.sampleRateHz,
        lengthSamples,
        ditherSeed: ENCODER_DITHER_SEED,
      });
      for (let start = 0, size = 1; start < lengthSamples; start += size, size = (size * 7 + 3) % 40_000) {
        const end = Math.min(lengthSamples, start + size);
        writer.write(music.channels.map((channel) => channel.subarray(start, end)));
      }
      writer.finish();
      expect(await sha256(blocks)).toBe(await sha256(whole));
    },
  );

  it('leaves no file behind after a NaN, a block too many or an early finish', async () => {
    const path = join(dir, 'bad.wav');
    const options = {
      sampleFormat: 'pcm24',
      channelCount: 1,
      sampleRateHz: 8000,
      lengthSamples: 4,
      ditherSeed: 1,
    } as const;
    const nan = createWavBlockWriter(path, options);
    await expectLacquerError(
      async () => nan.write([new Float32Array([0, Number.NaN])]),
      'MEDIA_INVALID_SAMPLES',
    );
    const tooMany = createWavBlockWriter(path, options);
    await expectLacquerError(async () => tooMany.write([new Float32Array(5)]), 'MEDIA_INVALID_ARGUMENT');
    const early = createWavBlockWriter(path, options);
    early.write([new Float32Array(2)]);
    await expectLacquerError(async () => early.finish(), 'MEDIA_INVALID_ARGUMENT');
    expect(await readdir(dir)).not.toContain('bad.wav');
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});

describe('assertSupportedAudio', () => {
  it('refuses more than two channels and rates outside 8 … 384 kHz, from the probe alone', async () => {
    const surround = join(dir, 'surround.wav');
    runFfmpegCli(['-f', 'lavfi', '-i', 'anoisesrc=d=1:r=48000', '-ac', '6', '-c:a', 'pcm_s16le', surround]);
    const probe = await probeAudio(surround);
    expect(() => assertSupportedAudio(probe)).toThrow(
      expect.objectContaining({ code: 'MEDIA_CHANNELS_UNSUPPORTED' }),
    );
    expect(() => assertSupportedAudio({ channelCount: 2, sampleRateHz: 4000 })).toThrow(
      expect.objectContaining({ code: 'MEDIA_SAMPLE_RATE_UNSUPPORTED' }),
    );
    expect(() => assertSupportedAudio({ channelCount: 2, sampleRateHz: 768_000 })).toThrow(
      expect.objectContaining({ code: 'MEDIA_SAMPLE_RATE_UNSUPPORTED' }),
    );
    for (const sampleRateHz of [8000, 44_100, 384_000]) {
      expect(() => assertSupportedAudio({ channelCount: 1, sampleRateHz })).not.toThrow();
    }
  });
});
