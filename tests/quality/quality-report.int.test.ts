import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expectWithin, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QualityReport } from '../../scripts/quality/quality-report-document.ts';
import type { QualityRow } from '../../scripts/quality/quality-row.ts';

// `pnpm quality` end to end on a tiny corpus of two "songs" made from the committed 15 s
// excerpts (credits in tests/fixtures/README.md): real ffmpeg, the real CLI, the real meter.
// It checks that the report is complete and that its figures are measured, not that Lacquer
// passes (the engine's numbers are for the report to judge).

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SONGS = ['fixture/chaos_god', 'fixture/metal_madness'] as const;
const FIXTURES: Record<(typeof SONGS)[number], string> = {
  'fixture/chaos_god': 'audio/chaos-god-mix-15s.flac',
  'fixture/metal_madness': 'audio/metal-madness-mix-15s.flac',
};
/** Each stem of a test song, made from the fixture (their sum differs in tone from the fixture). */
const STEM_FILTERS = { 'song.ogg': 'volume=3dB', 'guitar.ogg': 'highpass=f=500,lowpass=f=4000' };
/**
 * Two-pass loudnorm in linear mode is one gain computed from its own measurement: ffmpeg's meter
 * reads the output within a few tenths of an LU of the target (0.4 LU at worst on these 10 s
 * excerpts); 1 LU is loose by design.
 */
const LOUDNORM_LINEAR_TOLERANCE_LU = 1;
/** Its dynamic fallback (when the true peak forbids one gain) undershoots loud targets, by 1.1 LU on the corpus. */
const LOUDNORM_DYNAMIC_TOLERANCE_LU = 2;
/**
 * The de-mastering change (−8 dB, +4 dB low shelf, −5 dB high shelf, +3 dB at 400 Hz) moves the
 * tone by several dB at equal loudness; anything near 0 would mean the wrong files were compared.
 */
const DE_MASTERED_MIN_DISTANCE_DB = 1;
/**
 * loudnorm in linear mode is one gain: the tone must not move beyond what the 192 kHz round trip
 * and 24-bit output change (hundredths of a dB).
 */
const LINEAR_GAIN_TONAL_TOLERANCE_DB = 0.1;

let work: string;
let exitCode: number | null;
let report: QualityReport;
let markdown: string;

const ffmpeg = (args: readonly string[]) => promisify(execFile)('ffmpeg', ['-v', 'error', '-y', ...args]);

/** Runs `pnpm quality` (without pnpm); resolves with its exit code and what it printed to stderr. */
function runQuality(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/quality/quality-report.ts', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lacquer-quality-test-'));
  for (const song of SONGS) {
    const dir = join(work, 'corpus', song);
    await mkdir(dir, { recursive: true });
    const mix = fixturePath(FIXTURES[song]);
    for (const [stem, filter] of Object.entries(STEM_FILTERS)) {
      // 10 s of the 15: enough for the loudness gate and about 25 Welch segments, and faster.
      const encode = ['-c:a', 'libvorbis', '-q:a', '6'];
      await ffmpeg(['-t', '10', '-i', mix, '-af', filter, ...encode, join(dir, stem)]);
    }
  }
  const out = join(work, 'out');
  const run = await runQuality(['--corpus', join(work, 'corpus'), '--out', out, '--skip-long']);
  exitCode = run.code;
  if (exitCode !== 0 && exitCode !== 1) throw new Error(`pnpm quality exited ${exitCode}: ${run.stderr}`);
  report = JSON.parse(await readFile(join(out, 'quality-report.json'), 'utf8'));
  markdown = await readFile(join(out, 'quality-report.md'), 'utf8');
}, 170_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const rowsOf = (filter: (row: QualityRow) => boolean) => report.rows.filter(filter);

describe('pnpm quality on a two-song corpus', () => {
  it('runs every case for both songs and exits by the summary', () => {
    expect(exitCode).toBe(report.summary.pass ? 0 : 1);
    expect(report.songs).toEqual(SONGS);
    const plan = report.rows.map((row) => `${row.caseName} ${row.songs} ${row.mode} ${row.targetLufs}`);
    expect(plan.toSorted()).toEqual(
      [
        ...SONGS.flatMap((song) =>
          ['reference', 'auto', 'loudnorm'].map((mode) => `de-mastered ${song} ${mode} -14`),
        ),
        ...SONGS.flatMap((song, i) =>
          ['reference', 'loudnorm'].map((mode) => `cross ${song} → reference ${SONGS[1 - i]} ${mode} -14`),
        ),
        ...SONGS.flatMap((song) =>
          [-14, -11, -9].flatMap((target) =>
            ['auto', 'loudnorm'].map((mode) => `unmastered ${song} ${mode} ${target}`),
          ),
        ),
      ].toSorted(),
    );
    const lacquerRows = (id: string) => report.summary.criteria.find((c) => c.id === id)?.lacquer?.rows;
    expect([lacquerRows('a'), lacquerRows('b'), lacquerRows('c'), lacquerRows('d-loudness')]).toEqual([
      2, 2, 2, 12,
    ]);
  });

  it('measures loudnorm’s outputs with ffmpeg’s meter: on target, and every figure consistent', () => {
    const loudnorm = rowsOf((row) => row.processor === 'loudnorm');
    expect(loudnorm).toHaveLength(10);
    for (const row of loudnorm) {
      expect(row.error).toBeNull();
      const tolerance =
        row.loudnormNormalization === 'linear' ? LOUDNORM_LINEAR_TOLERANCE_LU : LOUDNORM_DYNAMIC_TOLERANCE_LU;
      expectWithin(row.integratedLufs!, row.targetLufs, tolerance, `${row.songs} I at ${row.targetLufs}`);
      expectWithin(row.plrDb!, row.truePeakDbtp! - row.integratedLufs!, 1e-9, 'PLR');
      expect(row.loudnessRangeLu).toBeGreaterThan(0);
      expect(Number.isInteger(row.clippedSamples)).toBe(true);
      expect(row.wallSeconds).toBeGreaterThan(0);
      expect(row.peakMemoryMb).toBeGreaterThan(0);
      expect(['linear', 'dynamic']).toContain(row.loudnormNormalization);
    }
  });

  it('measures tonal distances on the right files', () => {
    for (const row of rowsOf((row) => row.caseName === 'de-mastered')) {
      expect(row.tonalBeforeDb).toBeGreaterThan(DE_MASTERED_MIN_DISTANCE_DB);
    }
    // One gain leaves the tone alone: after = before against a reference, ~0 from the input.
    const linear = rowsOf((row) => row.loudnormNormalization === 'linear');
    expect(new Set(linear.map((row) => row.tonalAgainst))).toEqual(new Set(['reference', 'input']));
    for (const row of linear) {
      if (row.tonalAgainst === 'reference') {
        expectWithin(
          row.tonalAfterDb!,
          row.tonalBeforeDb!,
          LINEAR_GAIN_TONAL_TOLERANCE_DB,
          `${row.songs} tonal`,
        );
      } else {
        expectWithin(row.tonalAfterDb!, 0, LINEAR_GAIN_TONAL_TOLERANCE_DB, `${row.songs} tonal`);
      }
    }
    // The distance is symmetric: A against B before is B against A before.
    const [ab, ba] = rowsOf((row) => row.caseName === 'cross' && row.processor === 'loudnorm');
    expect(ab!.tonalBeforeDb).toBeGreaterThan(0);
    expectWithin(ab!.tonalBeforeDb!, ba!.tonalBeforeDb!, 1e-9, 'cross before, both ways');
  });

  it('writes the Markdown: summary, the three cases, definitions', () => {
    for (const heading of [
      '## Summary',
      '## 1. De-mastered pairs',
      '## 2. Cross pairs',
      '## 3. Unmastered mixes',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).not.toContain('## 4. Long file');
    expect(markdown).toContain('32768');
    expect(markdown.split('\n').filter((line) => /^\| fixture\//.test(line))).toHaveLength(
      report.rows.length,
    );
  });
});
