import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLacquerError } from '@lacquer/errors';
import { fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from './analyze-files.ts';

// The analyzer task: the long way reports what the in-memory way reports, and files Lacquer
// cannot master are refused from the probe.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-analyze-task-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('analyzeFiles', () => {
  it('differential: the long way (scratch file) gives the in-memory analysis, and removes its scratch', async () => {
    // A copy beside which the task may make its scratch directory.
    const inputPath = join(dir, 'mix.flac');
    const copy = spawnSync('cp', [fixturePath('audio/metal-madness-mix-15s.flac'), inputPath]);
    expect(copy.status).toBe(0);
    const base = { inputPath, referencePath: inputPath, maxDurationSeconds: 3600 };
    const inMemory = await analyzeFiles({ ...base, longFileSeconds: Number.POSITIVE_INFINITY });
    const long = await analyzeFiles({ ...base, longFileSeconds: 0 });
    expect(long).toEqual(inMemory);
    expect(await readdir(dir)).toEqual(['mix.flac']);
  });

  it('refuses more than two channels from the probe', async () => {
    const surround = join(dir, 'surround.wav');
    spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=d=1:r=48000',
      '-ac',
      '6',
      surround,
    ]);
    let code: string | undefined;
    try {
      await analyzeFiles({ inputPath: surround, referencePath: null, maxDurationSeconds: 3600 });
    } catch (error) {
      code = isLacquerError(error) ? error.code : String(error);
    }
    expect(code).toBe('MEDIA_CHANNELS_UNSUPPORTED');
  });
});
