// The mastering quality report: Lacquer and ffmpeg two-pass loudnorm on the real songs of the
// corpus, measured by ffmpeg's meter and by tonal distance (see quality-report-document.ts):
//  1. de-mastered pairs: a full mix as reference, the target made from it with a known change;
//  2. cross pairs: each song with the next one as reference;
//  3. unmastered mixes at −14, −11 and −9 LUFS;
//  4. the long file: all unmastered mixes in a row (~20 min), unless --skip-long.
//
//   pnpm quality [--corpus <dir>] [--out <dir>] [--songs <a,b,…>] [--skip-long]
//
// Writes quality-report.md and quality-report.json into --out (default out/quality), prints the
// Markdown. Every processor run is measured alone, one after the other. Exits 1 when a
// criterion fails on Lacquer's rows, 2 on a bad command line, 0 otherwise (also when the
// corpus is absent: it says so and skips).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCases } from './cases.ts';
import {
  createCorpusMixes,
  DE_MASTERING_FILTER,
  FULL_MIX_FILTER,
  UNMASTERED_MIX_FILTER,
} from './corpus-mixes.ts';
import { findCorpusSongs, selectSongs } from './corpus-songs.ts';
import { warmUpLacquer } from './lacquer-master.ts';
import { machineInfo } from './machine-info.ts';
import { createTonalBalances } from './measure-output.ts';
import { parseQualityOptions, type QualityOptions } from './quality-options.ts';
import { type QualityReport, TONAL_DISTANCE_DEFINITION } from './quality-report-document.ts';
import type { QualityRow } from './quality-row.ts';
import { summarize } from './quality-summary.ts';
import { reportMarkdown } from './report-markdown.ts';
import { runCase } from './run-case.ts';

const EXIT_USAGE = 2;

let options: QualityOptions;
let songs: string[];
const corpusSongs: string[] = [];
try {
  options = parseQualityOptions(process.argv.slice(2), process.env);
  corpusSongs.push(...findCorpusSongs(options.corpusDir));
  if (corpusSongs.length === 0) {
    console.log(
      `corpus not found at ${options.corpusDir}: pass --corpus <dir> or set LACQUER_CORPUS; skipping`,
    );
    process.exit(0);
  }
  songs = selectSongs(corpusSongs, options.songs);
} catch (error) {
  console.error(`quality: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(EXIT_USAGE);
}

const started = performance.now();
const runs = planCases(corpusSongs, songs, { skipLong: options.skipLong });
const workDir = mkdtempSync(join(tmpdir(), 'lacquer-quality-'));
const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeWorkDir();
    process.exit(130);
  });
}

try {
  console.error(`quality: ${runs.length} runs on ${songs.join(', ')}; work files in ${workDir}`);
  await warmUpLacquer().catch((error: Error) =>
    console.error(`quality: lacquer --help failed: ${error.message}`),
  );
  const context = {
    mixes: createCorpusMixes(options.corpusDir, workDir),
    balances: createTonalBalances(),
    workDir,
  };
  const rows: QualityRow[] = [];
  for (const [index, run] of runs.entries()) {
    const row = await runCase(run, index, context);
    rows.push(row);
    const verdict = row.error ?? (row.pass ? 'pass' : 'FAIL');
    console.error(
      `[${index + 1}/${runs.length}] ${run.caseName} ${run.songs} ${run.mode} ${run.targetLufs} LUFS: ` +
        `${row.wallSeconds?.toFixed(2) ?? '—'} s, ${verdict}`,
    );
  }
  const summary = summarize(rows);
  const report: QualityReport = {
    generatedAt: new Date().toISOString(),
    totalSeconds: (performance.now() - started) / 1000,
    corpusDir: options.corpusDir,
    songs,
    skipLong: options.skipLong,
    machine: await machineInfo(),
    filters: {
      fullMix: FULL_MIX_FILTER,
      unmasteredMix: UNMASTERED_MIX_FILTER,
      deMastering: DE_MASTERING_FILTER,
    },
    tonalDistanceDefinition: TONAL_DISTANCE_DEFINITION,
    summary,
    rows,
  };
  const markdown = reportMarkdown(report);
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'quality-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.outDir, 'quality-report.md'), markdown);
  console.log(markdown);
  console.error(`quality: wrote ${join(options.outDir, 'quality-report.md')} and quality-report.json`);
  process.exitCode = summary.pass ? 0 : 1;
} finally {
  removeWorkDir();
}
