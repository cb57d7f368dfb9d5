import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expectWithin, ffmpegLoudness, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeRun, runNode } from './test-support/run-node.ts';

// What users run (`pnpm -s lacquer`): the launcher, which runs main.ts from its bundle.
const LAUNCHER = fileURLToPath(new URL('../bin/lacquer.mjs', import.meta.url));
// By ffmpeg's meter (issue 2): within 0.3 LU, true peak at or under the ceiling (ffmpeg prints
// its linear peak to 3 decimals, ±0.005 dB near −1 dBTP).
const FFMPEG_TOLERANCE_LU = 0.3;
const FFMPEG_PEAK_PRINT_RESOLUTION_DB = 0.005;

type CliRun = NodeRun;
const lacquer = (...args: string[]) => runNode(LAUNCHER, ...args);

const ffmpeg = (...args: string[]) => promisify(execFile)('ffmpeg', ['-v', 'error', '-y', ...args]);
const errorCode = (run: CliRun) => run.stderr.match(/lacquer: error ([A-Z_]+):/)?.[1];

describe('lacquer master and analyze on good and bad input', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lacquer-cli-'));
    const excerpt = fixturePath('audio/metal-madness-mix-15s.flac');
    await writeFile(file('not-audio.wav'), 'this is a text file with a .wav name\n'.repeat(100));
    await writeFile(file('empty.wav'), '');
    await ffmpeg('-i', excerpt, '-t', '6', '-c:a', 'pcm_s16le', file('full.wav'));
    await copyFile(file('full.wav'), file('truncated.wav'));
    await truncate(file('truncated.wav'), Math.floor((await stat(file('full.wav'))).size / 2));
    await ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '5', file('silence.wav'));
    await ffmpeg('-i', excerpt, '-t', '0.2', file('short.wav'));
    await ffmpeg('-i', excerpt, '-t', '6', '-ac', '1', file('mono.wav'));
    await ffmpeg('-i', excerpt, '-t', '6', '-ar', '8000', file('8k.wav'));
    await ffmpeg('-i', excerpt, '-t', '6', '-ar', '192000', '-c:a', 'pcm_f32le', file('192k.wav'));
    await ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'sine=f=440:r=48000',
      '-t',
      '6',
      '-af',
      'pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0',
      file('5.1.wav'),
    );
    for (const [name, bad] of [
      ['nan', Number.NaN],
      ['inf', Number.POSITIVE_INFINITY],
    ] as const) {
      await ffmpeg('-i', excerpt, '-t', '2', '-c:a', 'pcm_f32le', file(`${name}.wav`));
      // Overwrite one sample in the middle of the data chunk.
      const bytes = await readFile(file(`${name}.wav`));
      bytes.writeFloatLE(bad, bytes.indexOf('data') + 8 + 4 * 20000);
      await writeFile(file(`${name}.wav`), bytes);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['not-audio.wav', 'MEDIA_UNSUPPORTED'],
    ['empty.wav', 'MEDIA_EMPTY'],
    ['truncated.wav', 'MEDIA_DECODE_FAILED'],
    ['missing.wav', 'MEDIA_NOT_FOUND'],
    ['silence.wav', 'ENGINE_SILENT_INPUT'],
    ['short.wav', 'ENGINE_INPUT_TOO_SHORT'],
    ['5.1.wav', 'MEDIA_CHANNELS_UNSUPPORTED'],
    ['nan.wav', 'MEDIA_INVALID_SAMPLES'],
    ['inf.wav', 'MEDIA_INVALID_SAMPLES'],
  ])('master %s fails with %s, exit 1, and writes no master', async (name, code) => {
    const out = file(`out-${name}`);
    const run = await lacquer('master', file(name), '--out', out);
    expect(run.exitCode).toBe(1);
    expect(errorCode(run)).toBe(code);
    await expect(stat(join(out, 'master.wav'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['mono.wav', 1, 44100],
    ['8k.wav', 2, 8000],
    ['192k.wav', 2, 192000],
  ])(
    'master %s gives a correct master (%i ch, %i Hz) that ffmpeg measures on target',
    async (name, channels, rateHz) => {
      const out = file(`out-${name}`);
      const run = await lacquer('master', file(name), '--out', out);
      expect(run.exitCode, run.stderr).toBe(0);
      const { stdout } = await promisify(execFile)('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'stream=channels,sample_rate,bits_per_sample',
        '-of',
        'json',
        join(out, 'master.wav'),
      ]);
      expect(JSON.parse(stdout).streams[0]).toMatchObject({
        channels,
        sample_rate: String(rateHz),
        bits_per_sample: 24,
      });
      const measured = await ffmpegLoudness(join(out, 'master.wav'));
      expectWithin(measured.integratedLufs, -14, FFMPEG_TOLERANCE_LU, 'ffmpeg I');
      expect(measured.truePeakDbtp).toBeLessThanOrEqual(-1 + FFMPEG_PEAK_PRINT_RESOLUTION_DB);
      for (const json of ['analysis.json', 'decision.json', 'report.json']) {
        expect(JSON.parse(await readFile(join(out, json), 'utf8'))).toBeTypeOf('object');
      }
      expect((await stat(join(out, 'preview.mp3'))).size).toBeGreaterThan(1000);
    },
  );

  it('analyze --json --series prints one object with the conformance fields and 10 ms series', async () => {
    const run = await lacquer('analyze', '--json', '--series', file('full.wav'));
    expect(run.exitCode, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    for (const key of [
      'integratedLufs',
      'loudnessRangeLu',
      'truePeakDbtp',
      'samplePeakDbfs',
      'momentaryMaxLufs',
      'shortTermMaxLufs',
    ]) {
      expect(result[key], key).toBeTypeOf('number');
    }
    const [first, second] = result.momentarySeries;
    expectWithin(second[0] - first[0], 0.01, 1e-9, 'momentary hop (s)');
    expect(result.shortTermSeries.length).toBeGreaterThan(100);
    const measured = await ffmpegLoudness(file('full.wav'));
    // Differential against ffmpeg (issue 2): I within 0.1 LU, true peak within 0.2 dB.
    expectWithin(result.integratedLufs, measured.integratedLufs, 0.1, 'I vs ffmpeg');
    expectWithin(result.truePeakDbtp, measured.truePeakDbtp, 0.2, 'TP vs ffmpeg');
  });

  it('bad options fail with CLI_USAGE (exit 2) or ENGINE_INVALID_TARGET (exit 1)', async () => {
    const usage = await lacquer('master', file('full.wav'));
    expect(usage.exitCode).toBe(2);
    expect(errorCode(usage)).toBe('CLI_USAGE');
    const target = await lacquer('master', file('full.wav'), '--out', file('x'), '--target-lufs', '3');
    expect(target.exitCode).toBe(1);
    expect(errorCode(target)).toBe('ENGINE_INVALID_TARGET');
    const preset = await lacquer('master', file('full.wav'), '--out', file('x'), '--preset', 'vinyl');
    expect(errorCode(preset)).toBe('ENGINE_INVALID_TARGET');
  });
});
