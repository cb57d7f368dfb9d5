import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xorshift32 } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmToPlanar } from './pcm-to-planar.ts';
import { openPcmWavReader, type PcmWavReader } from './pcm-wav-reader.ts';
import { bitMismatches } from './test-support/bit-mismatches.ts';
import { expectLacquerError } from './test-support/expect-lacquer-error.ts';
import { floatWavBytes } from './test-support/float-wav-bytes.ts';
import { fmtBody, riffBytes } from './test-support/riff-bytes.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-pcm-wav-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCount = 0;
async function fileOf(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `${++fileCount}.wav`);
  await writeFile(path, bytes);
  return path;
}

/** 24-bit stereo at 48 kHz: `frames` frames of random samples, and the file. */
async function stereo24(frames: number, dataSizeBytes?: number) {
  const next = xorshift32(frames);
  const samples = Buffer.from(Uint8Array.from({ length: frames * 6 }, () => Math.floor(next() * 256)));
  const fmt = fmtBody({ formatTag: 1, channelCount: 2, sampleRateHz: 48_000, bits: 24 });
  const path = await fileOf(
    riffBytes('RIFF', [
      { id: 'fmt ', body: fmt },
      { id: 'data', body: samples, sizeBytes: dataSizeBytes },
    ]),
  );
  return { samples, path };
}

/** Planar float32 of 24-bit stereo `samples` in one conversion (what every read pattern must give). */
function converted(samples: Uint8Array): Float32Array[] {
  const frames = samples.length / 6;
  const aligned = new Uint8Array(new ArrayBuffer(samples.length + 8), 0, samples.length);
  aligned.set(samples);
  const channels = [new Float32Array(frames), new Float32Array(frames)];
  pcmToPlanar(aligned, 's24', frames, channels, 0);
  return channels;
}

async function opened(
  path: string,
  chunkBytes = 1 << 20,
  maxDurationSeconds?: number,
): Promise<PcmWavReader> {
  const reader = await openPcmWavReader(path, { chunkBytes, maxDurationSeconds });
  if (!reader) throw new Error(`${path} was not taken as a PCM WAV`);
  return reader;
}

describe('openPcmWavReader', () => {
  // property: any chunk size and any sequence of reads give the samples of one conversion
  it.each([1, 7, 600, 4096, 1 << 20])(
    'chunks of %i bytes, reads of random lengths: the same samples',
    async (chunkBytes) => {
      const frames = 5003;
      const { samples, path } = await stereo24(frames);
      const reader = await opened(path, chunkBytes);
      const channels = [new Float32Array(frames), new Float32Array(frames)];
      const next = xorshift32(chunkBytes);
      try {
        for (let done = 0; done < frames; ) {
          const length = Math.min(frames - done, Math.floor(next() * 1500));
          await reader.read(channels, done, length);
          done += length;
        }
        reader.finish();
      } finally {
        await reader.close();
      }
      expect(bitMismatches(channels, converted(samples))).toBe(0);
    },
  );

  it('leaves to ffmpeg what is not a PCM WAV, or not there: undefined', async () => {
    const notWav = await fileOf(Buffer.from('ID3 this is no RIFF file'));
    const empty = await fileOf(new Uint8Array(0));
    const folder = join(dir, 'folder.wav');
    await mkdir(folder);
    for (const path of [notWav, empty, folder, join(dir, 'missing.wav')]) {
      expect(
        await openPcmWavReader(path, { chunkBytes: 4096, maxDurationSeconds: undefined }),
      ).toBeUndefined();
    }
  });

  it('MEDIA_EMPTY when the data chunk holds no frame', async () => {
    const path = await fileOf(floatWavBytes({ sampleRateHz: 44_100, channels: [new Float32Array(0)] }));
    await expectLacquerError(
      openPcmWavReader(path, { chunkBytes: 4096, maxDurationSeconds: undefined }),
      'MEDIA_EMPTY',
    );
  });

  describe('MEDIA_TOO_LONG from the header, before reading', () => {
    it('declaredSeconds when the data chunk declares the length and the file holds it', async () => {
      const { path } = await stereo24(72_000); // 1.5 s
      const error = await expectLacquerError(opened(path, 4096, 1.4), 'MEDIA_TOO_LONG');
      expect(error.details).toEqual({ path, maxDurationSeconds: 1.4, declaredSeconds: 1.5 });
      await (await opened(path, 4096, 1.5)).close(); // exactly the maximum passes
    });

    it('decodedSecondsAtLeast when the length is the file’s (streamed, or cut short)', async () => {
      const { path } = await stereo24(72_000, 0);
      const error = await expectLacquerError(opened(path, 4096, 1.4), 'MEDIA_TOO_LONG');
      expect(error.details).toEqual({ path, maxDurationSeconds: 1.4, decodedSecondsAtLeast: 1.5 });
    });
  });

  it('MEDIA_DECODE_FAILED truncated from finish() when the file is cut short, with the ffmpeg path’s details', async () => {
    const { samples, path } = await stereo24(1000, 6 * 1500);
    const reader = await opened(path, 600);
    expect(reader.layout).toMatchObject({ declaredLengthSamples: 1500, lengthSamples: 1000 });
    const channels = [new Float32Array(1000), new Float32Array(1000)];
    await reader.read(channels, 0, 1000);
    const error = await expectLacquerError(async () => reader.finish(), 'MEDIA_DECODE_FAILED');
    expect(error.details).toEqual({
      path,
      reason: 'truncated',
      declaredBy: 'wav-data-chunk',
      declaredSeconds: 1500 / 48_000,
      decodedSeconds: 1000 / 48_000,
    });
    await reader.close();
    expect(bitMismatches(channels, converted(samples))).toBe(0);
  });

  it('MEDIA_DECODE_FAILED truncated when the file shrinks while it is read', async () => {
    const { path } = await stereo24(10_000);
    const reader = await opened(path, 6000);
    const channels = [new Float32Array(10_000), new Float32Array(10_000)];
    try {
      await reader.read(channels, 0, 10); // the second chunk is being read ahead by now
      await truncate(path, reader.layout.dataOffsetBytes + 6 * 4000);
      const error = await expectLacquerError(reader.read(channels, 10, 9990), 'MEDIA_DECODE_FAILED');
      expect(error.details).toMatchObject({ reason: 'truncated', decodedSeconds: 4000 / 48_000 });
    } finally {
      await reader.close();
    }
  });

  it('MEDIA_INVALID_SAMPLES at the first non-finite sample, by frame then channel, across chunks', async () => {
    const left = new Float32Array(3000).fill(0.5);
    const right = new Float32Array(3000).fill(-0.5);
    right[2222] = Number.NaN;
    left[2223] = Number.POSITIVE_INFINITY;
    left[2500] = Number.NEGATIVE_INFINITY;
    const path = await fileOf(floatWavBytes({ sampleRateHz: 44_100, channels: [left, right] }));
    const reader = await opened(path, 8 * 100);
    const channels = [new Float32Array(3000), new Float32Array(3000)];
    try {
      await reader.read(channels, 0, 1000);
      const error = await expectLacquerError(reader.read(channels, 1000, 2000), 'MEDIA_INVALID_SAMPLES');
      expect(error.details).toEqual({ path, frame: 2222, seconds: 2222 / 44_100, channel: 1, value: 'NaN' });
    } finally {
      await reader.close();
    }
  });

  it('close() is idempotent and waits for the read ahead (no EBADF from a read under a closed file)', async () => {
    const { path } = await stereo24(50_000);
    const reader = await opened(path, 6000);
    await reader.read([new Float32Array(1), new Float32Array(1)], 0, 1);
    await expect(Promise.all([reader.close(), reader.close()])).resolves.toEqual([undefined, undefined]);
  });
});
