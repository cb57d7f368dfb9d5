import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectWithin, fixturePath, sine } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, decodeAudioWithFfmpeg } from './decode-audio.ts';
import { decodeAudioBlocks, decodeAudioBlocksWithFfmpeg } from './decode-audio-blocks.ts';
import { expectLacquerError } from './test-support/expect-lacquer-error.ts';
import { floatWavBytes } from './test-support/float-wav-bytes.ts';
import { fmtBody, riffBytes } from './test-support/riff-bytes.ts';
import { runFfmpegCli } from './test-support/run-ffmpeg-cli.ts';

const FIXTURE = fixturePath('audio/metal-madness-mix-15s.flac');
/** ffprobe prints durations with 6 decimals: half a microsecond of rounding. */
const FFPROBE_DURATION_TOLERANCE_SECONDS = 0.000_001;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-decode-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the first `lengthBytes` bytes of `source` to a new file in the temp dir. */
async function cut(
  source: string,
  name: string,
  lengthBytes: (sizeBytes: number) => number,
): Promise<string> {
  const bytes = await readFile(source);
  const path = join(dir, name);
  await writeFile(path, bytes.subarray(0, lengthBytes(bytes.length)));
  return path;
}

/** Drains the block decoder (the streaming path must fail the same way). */
async function drainBlocks(
  path: string,
  maxDurationSeconds?: number,
  blocks: typeof decodeAudioBlocks = decodeAudioBlocks,
): Promise<void> {
  for await (const _ of blocks(path, { blockLengthSamples: 4096, maxDurationSeconds })) {
    // consume
  }
}

/**
 * The two ways a PCM WAV is decoded: Lacquer's own reader (what `decodeAudio` does with it)
 * and the ffmpeg path it replaced; they must fail alike.
 */
const WAV_DECODERS = [
  { decoder: 'wav-reader', decode: decodeAudio, blocks: decodeAudioBlocks },
  { decoder: 'ffmpeg', decode: decodeAudioWithFfmpeg, blocks: decodeAudioBlocksWithFfmpeg },
] as const;

describe('decoding bad input', () => {
  it('MEDIA_NOT_FOUND for a missing file', async () => {
    await expectLacquerError(decodeAudio(join(dir, 'missing.flac')), 'MEDIA_NOT_FOUND');
    await expectLacquerError(drainBlocks(join(dir, 'missing.flac')), 'MEDIA_NOT_FOUND');
  });

  it('MEDIA_EMPTY for a 0-byte file', async () => {
    const zero = join(dir, 'zero.wav');
    await writeFile(zero, new Uint8Array(0));
    await expectLacquerError(decodeAudio(zero), 'MEDIA_EMPTY');
    await expectLacquerError(drainBlocks(zero), 'MEDIA_EMPTY');
  });

  it('MEDIA_UNSUPPORTED for random bytes and for a text file renamed .wav', async () => {
    const noise = join(dir, 'noise.wav');
    const bytes = new Uint8Array(100_000);
    let state = 0x2545f491;
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[i] = state & 0xff;
    }
    await writeFile(noise, bytes);
    await expectLacquerError(decodeAudio(noise), 'MEDIA_UNSUPPORTED');

    const text = join(dir, 'lyrics.wav');
    await writeFile(text, 'Verse 1\nThis is a text file with a .wav name.\n'.repeat(100));
    await expectLacquerError(decodeAudio(text), 'MEDIA_UNSUPPORTED');
  });

  it('MEDIA_DECODE_FAILED for a FLAC cut in half (ffmpeg -xerror stops at the broken frame)', async () => {
    const path = await cut(FIXTURE, 'half.flac', (size) => Math.floor(size / 2));
    const error = await expectLacquerError(decodeAudio(path), 'MEDIA_DECODE_FAILED');
    expect((error.details.stderrTail as string[]).length).toBeGreaterThan(0);
    await expectLacquerError(drainBlocks(path), 'MEDIA_DECODE_FAILED');
  });

  it('MEDIA_UNSUPPORTED for a FLAC cut inside its header (ffprobe cannot open it)', async () => {
    const path = await cut(FIXTURE, 'header.flac', () => 8192);
    await expectLacquerError(decodeAudio(path), 'MEDIA_UNSUPPORTED');
  });

  it('MEDIA_DECODE_FAILED for an MP3 cut in half (shorter than its Xing header says)', async () => {
    const mp3 = join(dir, 'full.mp3');
    runFfmpegCli(['-i', FIXTURE, '-c:a', 'libmp3lame', '-b:a', '320k', mp3]);
    const path = await cut(mp3, 'half.mp3', (size) => Math.floor(size / 2));
    const error = await expectLacquerError(decodeAudio(path), 'MEDIA_DECODE_FAILED');
    expect(error.details).toMatchObject({ reason: 'truncated', declaredBy: 'stream-duration' });
  });

  describe('MEDIA_TOO_LONG', () => {
    it('before decoding when the file declares its duration', async () => {
      const error = await expectLacquerError(
        decodeAudio(FIXTURE, { maxDurationSeconds: 10 }),
        'MEDIA_TOO_LONG',
      );
      expect(error.details.declaredSeconds).toBe(15);
    });

    it('without allocating the declared hours: a FLAC whose STREAMINFO claims 8 hours at 384 kHz', async () => {
      // 1 s of stereo silence whose STREAMINFO is made to declare 8 hours (MD5 cleared): the
      // decode must not allocate min(8 h, 1 h cap) × 384 kHz × 2 channels (11 GB) first.
      const path = join(dir, 'declares-8-hours.flac');
      runFfmpegCli(['-f', 'lavfi', '-i', 'anullsrc=r=384000:cl=stereo', '-t', '1', '-c:a', 'flac', path]);
      const flac = await readFile(path);
      const totalSamples = 8 * 3600 * 384_000;
      const at = 8 + 13; // "fLaC", the block header, then the 36-bit total from STREAMINFO byte 13
      flac[at] = (flac[at]! & 0xf0) | Math.floor(totalSamples / 2 ** 32);
      flac.writeUInt32BE(totalSamples % 2 ** 32, at + 1);
      flac.fill(0, at + 5, at + 21);
      await writeFile(path, flac);

      let peakArrayBufferBytes = 0;
      const sample = () => {
        peakArrayBufferBytes = Math.max(peakArrayBufferBytes, process.memoryUsage().arrayBuffers);
      };
      const sampler = setInterval(sample, 1);
      const before = process.memoryUsage().arrayBuffers;
      try {
        const error = await expectLacquerError(
          decodeAudio(path, { maxDurationSeconds: 3600, shared: true }),
          'MEDIA_TOO_LONG',
        );
        expect(error.details.declaredSeconds).toBe(8 * 3600);
      } finally {
        sample();
        clearInterval(sampler);
      }
      // ffmpeg's first chunks are all that may be held: far under the 11 GB of the old preallocation.
      expect(peakArrayBufferBytes - before).toBeLessThan(64 * 2 ** 20);
    });
  });

  it('MEDIA_INVALID_ARGUMENT for options out of range', async () => {
    await expectLacquerError(drainBlocks(FIXTURE, -1), 'MEDIA_INVALID_ARGUMENT');
    await expectLacquerError(
      decodeAudio(FIXTURE, { maxDurationSeconds: Number.NaN }),
      'MEDIA_INVALID_ARGUMENT',
    );
    const zeroBlocks = async () => {
      for await (const _ of decodeAudioBlocks(FIXTURE, { blockLengthSamples: 0 })) {
        // consume
      }
    };
    await expectLacquerError(zeroBlocks, 'MEDIA_INVALID_ARGUMENT');
  });
});

describe.each(WAV_DECODERS)('bad WAV input, decoded by $decoder', ({ decoder, decode, blocks }) => {
  it('MEDIA_EMPTY for a WAV of no samples', async () => {
    const noSamples = join(dir, 'no-samples.wav');
    await writeFile(noSamples, floatWavBytes({ sampleRateHz: 44_100, channels: [new Float32Array(0)] }));
    await expectLacquerError(decode(noSamples), 'MEDIA_EMPTY');
    await expectLacquerError(drainBlocks(noSamples, undefined, blocks), 'MEDIA_EMPTY');
  });

  describe('a WAV cut short', () => {
    let wav: string;
    /** RIFF + fmt (16-byte body) + data headers that ffmpeg writes for plain 16-bit PCM, and its LIST chunk. */
    let headerBytes: number;
    beforeAll(async () => {
      wav = join(dir, 'full-s16.wav');
      runFfmpegCli(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=2', '-ac', '2', '-c:a', 'pcm_s16le', wav]);
      const bytes = await readFile(wav);
      headerBytes = bytes.indexOf('data', 0, 'latin1') + 8;
    });

    it('MEDIA_DECODE_FAILED when cut inside a packet (ffmpeg -xerror: corrupt packet; the reader: truncated)', async () => {
      const path = await cut(wav, 'cut-mid-packet.wav', (size) => Math.floor(size / 2) + 1);
      const error = await expectLacquerError(decode(path), 'MEDIA_DECODE_FAILED');
      if (decoder === 'ffmpeg') {
        expect((error.details.stderrTail as string[]).length).toBeGreaterThan(0);
      } else {
        // ffmpeg stops at its 4 KiB packet cut short; the reader has every whole frame.
        const frames = Math.floor((Math.floor((headerBytes + 2 * 44_100 * 4) / 2) + 1 - headerBytes) / 4);
        expect(error.details).toEqual({
          path,
          reason: 'truncated',
          declaredBy: 'wav-data-chunk',
          declaredSeconds: 2,
          decodedSeconds: frames / 44_100,
        });
      }
      await expectLacquerError(drainBlocks(path, undefined, blocks), 'MEDIA_DECODE_FAILED');
    });

    it('MEDIA_DECODE_FAILED when cut on a packet boundary, which ffmpeg reads without error', async () => {
      // ffmpeg's wav demuxer reads 4096-byte packets: a cut after 20 of them ends cleanly, and
      // ffprobe then reports the cut length; only the data chunk still declares 2 s.
      const path = await cut(wav, 'cut-on-packet.wav', () => headerBytes + 4096 * 20);
      const error = await expectLacquerError(decode(path), 'MEDIA_DECODE_FAILED');
      expect(error.details).toEqual({
        path,
        reason: 'truncated',
        declaredBy: 'wav-data-chunk',
        declaredSeconds: 2,
        decodedSeconds: (4096 * 20) / 4 / 44_100,
      });
      await expectLacquerError(drainBlocks(path, undefined, blocks), 'MEDIA_DECODE_FAILED');
    });

    it('MEDIA_DECODE_FAILED, not MEDIA_TOO_LONG, when the header declares 8 hours and the file holds 0.5 s', async () => {
      // ffmpeg clamps a WAV's declared length to the file, as the reader does: a cut file, not a long one.
      const path = join(dir, 'declares-8-hours.wav');
      const fmt = fmtBody({ formatTag: 1, channelCount: 1, sampleRateHz: 8000, bits: 16 });
      const samples = new Uint8Array(2 * 4000);
      await writeFile(
        path,
        riffBytes('RIFF', [
          { id: 'fmt ', body: fmt },
          { id: 'data', body: samples, sizeBytes: 2 * 8000 * 8 * 3600 },
        ]),
      );
      await expectLacquerError(decode(path, { maxDurationSeconds: 3600 }), 'MEDIA_DECODE_FAILED');
      await expectLacquerError(drainBlocks(path, 3600, blocks), 'MEDIA_DECODE_FAILED');
    });
  });

  it.each([
    ['NaN', Number.NaN],
    ['+Infinity', Number.POSITIVE_INFINITY],
    ['−Infinity', Number.NEGATIVE_INFINITY],
  ])('MEDIA_INVALID_SAMPLES for a float WAV holding %s', async (name, value) => {
    const audio = sine({ sampleRateHz: 48_000, durationSeconds: 1, frequencyHz: 997, peakDbfs: -6 });
    audio.channels[1]![20_000] = value;
    audio.channels[0]![20_001] = value; // a later frame: not the one reported
    const path = join(dir, `${name}.wav`);
    await writeFile(path, floatWavBytes(audio));
    const error = await expectLacquerError(decode(path), 'MEDIA_INVALID_SAMPLES');
    expect(error.details).toEqual({
      path,
      frame: 20_000,
      seconds: 20_000 / 48_000,
      channel: 1,
      value: String(value),
    });
    await expectLacquerError(drainBlocks(path, undefined, blocks), 'MEDIA_INVALID_SAMPLES');
  });

  it('MEDIA_INVALID_SAMPLES for a 64-bit float beyond float32 (it becomes Infinity)', async () => {
    const path = join(dir, 'f64-overflow.wav');
    const samples = new Float64Array(4000).fill(0.25);
    samples[2 * 1234 + 1] = -1e39;
    const fmt = fmtBody({ formatTag: 3, channelCount: 2, sampleRateHz: 8000, bits: 64 });
    await writeFile(
      path,
      riffBytes('RIFF', [
        { id: 'fmt ', body: fmt },
        { id: 'data', body: new Uint8Array(samples.buffer) },
      ]),
    );
    const error = await expectLacquerError(decode(path), 'MEDIA_INVALID_SAMPLES');
    expect(error.details).toEqual({
      path,
      frame: 1234,
      seconds: 1234 / 8000,
      channel: 1,
      value: '-Infinity',
    });
  });

  describe('MEDIA_TOO_LONG', () => {
    it('before decoding when the WAV declares its length', async () => {
      const path = join(dir, 'declared-3s.wav');
      runFfmpegCli(['-f', 'lavfi', '-i', 'sine=f=440:r=8000:d=3', '-c:a', 'pcm_s24le', path]);
      const error = await expectLacquerError(decode(path, { maxDurationSeconds: 2.5 }), 'MEDIA_TOO_LONG');
      expectWithin(
        error.details.declaredSeconds as number,
        3,
        FFPROBE_DURATION_TOLERANCE_SECONDS,
        'declared (s)',
      );
      await expectLacquerError(drainBlocks(path, 2.5, blocks), 'MEDIA_TOO_LONG');
    });

    it('while decoding (ffmpeg) or from the file size (the reader) when it does not (a WAV of unknown length)', async () => {
      const path = join(dir, 'streamed.wav');
      runFfmpegCli(['-f', 'lavfi', '-i', 'sine=f=440:r=8000:d=3', '-f', 'wav', 'pipe:1'], path);
      const error = await expectLacquerError(drainBlocks(path, 1, blocks), 'MEDIA_TOO_LONG');
      expect(error.details.decodedSecondsAtLeast).toBeGreaterThan(1);
      await expectLacquerError(decode(path, { maxDurationSeconds: 2.5 }), 'MEDIA_TOO_LONG');
      expect((await decode(path, { maxDurationSeconds: 3 })).channels[0]).toHaveLength(24_000);
    });
  });
});
