import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectWithin, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAudio } from './probe-audio.ts';
import { expectLacquerError } from './test-support/expect-lacquer-error.ts';
import { runFfmpegCli } from './test-support/run-ffmpeg-cli.ts';

/** ffprobe prints durations to the microsecond. */
const PRINTED_DURATION_TOLERANCE_SECONDS = 1e-6;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeAudio', () => {
  it('describes the committed 24-bit FLAC excerpt', async () => {
    const path = fixturePath('audio/metal-madness-mix-15s.flac');
    const probe = await probeAudio(path);
    expect(probe).toMatchObject({
      formatName: 'flac',
      codecName: 'flac',
      sampleRateHz: 44_100,
      channelCount: 2,
      channelLayout: 'stereo',
      bitsPerSample: 24,
      sizeBytes: 2_961_206,
    });
    expectWithin(probe.durationSeconds!, 15, PRINTED_DURATION_TOLERANCE_SECONDS, 'duration (s)');
  });

  it('reports 5.1, its layout, and a 16-bit WAV', async () => {
    const surround = join(dir, 'surround.flac');
    runFfmpegCli([
      '-f',
      'lavfi',
      '-i',
      'sine=f=440:r=48000:d=1',
      '-af',
      'pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0',
      surround,
    ]);
    expect(await probeAudio(surround)).toMatchObject({
      channelCount: 6,
      channelLayout: '5.1',
      sampleRateHz: 48_000,
    });

    const wav = join(dir, 'pcm16.wav');
    runFfmpegCli(['-f', 'lavfi', '-i', 'sine=f=440:r=8000:d=1', '-c:a', 'pcm_s16le', wav]);
    expect(await probeAudio(wav)).toMatchObject({
      formatName: 'wav',
      codecName: 'pcm_s16le',
      sampleRateHz: 8000,
      channelCount: 1,
      bitsPerSample: 16,
    });
  });

  it('has no bit depth for lossy audio', async () => {
    const mp3 = join(dir, 'tone.mp3');
    runFfmpegCli(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=1', '-c:a', 'libmp3lame', '-b:a', '128k', mp3]);
    expect(await probeAudio(mp3)).toMatchObject({ codecName: 'mp3', bitsPerSample: undefined });
  });

  it('fails on a missing file with MEDIA_NOT_FOUND', async () => {
    await expectLacquerError(probeAudio(join(dir, 'missing.wav')), 'MEDIA_NOT_FOUND');
    await expectLacquerError(probeAudio(join(dir, 'missing-dir', 'x.wav')), 'MEDIA_NOT_FOUND');
    await expectLacquerError(probeAudio(dir), 'MEDIA_NOT_FOUND');
  });

  it('fails on a 0-byte file with MEDIA_EMPTY', async () => {
    const path = join(dir, 'zero.wav');
    await writeFile(path, new Uint8Array(0));
    await expectLacquerError(probeAudio(path), 'MEDIA_EMPTY');
  });

  it('fails on what is not audio with MEDIA_UNSUPPORTED, with ffprobe’s reason', async () => {
    const text = join(dir, 'notes.wav');
    await writeFile(text, 'These are my mixing notes, not a WAV file.\n'.repeat(50));
    const error = await expectLacquerError(probeAudio(text), 'MEDIA_UNSUPPORTED');
    expect(error.details.stderrTail).toEqual(expect.arrayContaining([expect.any(String)]));

    const noise = join(dir, 'noise.bin');
    const bytes = new Uint8Array(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2_654_435_761) >>> 24; // fixed pseudo-random bytes
    await writeFile(noise, bytes);
    await expectLacquerError(probeAudio(noise), 'MEDIA_UNSUPPORTED');
  });

  it('fails on a file without an audio stream with MEDIA_UNSUPPORTED', async () => {
    const image = join(dir, 'cover.png');
    runFfmpegCli(['-f', 'lavfi', '-i', 'color=c=red:s=16x16:d=1', '-frames:v', '1', image]);
    const error = await expectLacquerError(probeAudio(image), 'MEDIA_UNSUPPORTED');
    expect(error.details.streamTypes).toEqual(['video']);
  });
});
