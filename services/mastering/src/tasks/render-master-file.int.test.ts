import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, decide, resolveTarget } from '@lacquer/engine';
import { isLacquerError } from '@lacquer/errors';
import { decodeAudio } from '@lacquer/media';
import { expectWithin, ffmpegLoudness, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMasterFile } from './render-master-file.ts';

// The mastering task: limits enforced from the probe before decoding, and the long-programme
// way end to end (decoded to scratch, rendered in passes, WAV and MP3 written, scratch removed).

const FIXTURE = fixturePath('audio/chaos-god-mix-15s.flac');
// ffmpeg prints the linear true peak to 3 decimals: ±0.0005 is ±0.005 dB near −1 dBTP.
const FFMPEG_PEAK_PRINT_RESOLUTION_DB = 0.005;
const LOUDNESS_TOLERANCE_LU = 0.1;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-render-task-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    return isLacquerError(error) ? error.code : String(error);
  }
  return undefined;
}

function ffmpeg(args: readonly string[]): void {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-y', ...args]);
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
}

describe('renderMasterFile', () => {
  it('the long way: master.wav on target by ffmpeg, preview.mp3, no scratch files left', async () => {
    const target = resolveTarget({ integratedLufs: -10 });
    const { analysis } = await analyze(await decodeAudio(FIXTURE));
    const outDir = await mkdtemp(join(dir, 'long-'));
    const rendered = await renderMasterFile({
      inputPath: FIXTURE,
      plan: decide(analysis, target),
      loudestSection: analysis.loudestSection,
      outDir,
      maxDurationSeconds: 3600,
      longFileSeconds: 0,
    });
    expect(rendered.longProgramme).toBe(true);
    expect((await readdir(outDir)).sort()).toEqual(['master.wav', 'preview.mp3']);
    expectWithin(rendered.output.integratedLufs, target.integratedLufs, LOUDNESS_TOLERANCE_LU, 'own meter');
    const measured = await ffmpegLoudness(rendered.masterPath);
    expectWithin(measured.integratedLufs, target.integratedLufs, LOUDNESS_TOLERANCE_LU, 'ffmpeg I');
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(
      target.truePeakCeilingDbtp + FFMPEG_PEAK_PRINT_RESOLUTION_DB,
    );
  });

  it('refuses from the probe, before decoding: more than 2 channels, a rate out of range, too long', async () => {
    const { analysis } = await analyze(await decodeAudio(FIXTURE));
    const plan = decide(analysis, resolveTarget({}));
    const surround = join(dir, 'surround.wav');
    ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=2:r=48000:a=0.1', '-ac', '6', '-c:a', 'pcm_s16le', surround]);
    const lowRate = join(dir, 'low-rate.wav');
    ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=2:r=4000:a=0.1', '-c:a', 'pcm_s16le', lowRate]);
    const task = (inputPath: string, maxDurationSeconds = 3600) =>
      renderMasterFile({
        inputPath,
        plan,
        loudestSection: analysis.loudestSection,
        outDir: dir,
        maxDurationSeconds,
        longFileSeconds: 0,
      });
    expect(await codeOf(task(surround))).toBe('MEDIA_CHANNELS_UNSUPPORTED');
    expect(await codeOf(task(lowRate))).toBe('MEDIA_SAMPLE_RATE_UNSUPPORTED');
    expect(await codeOf(task(FIXTURE, 5))).toBe('MEDIA_TOO_LONG');
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
