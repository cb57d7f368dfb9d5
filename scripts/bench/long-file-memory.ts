// Benchmark: the long-programme path (issue 5) on 10-, 30- and 60-minute programmes, next to
// ffmpeg's two-pass loudnorm on the same files: wall time, peak memory of the process tree,
// and ffmpeg's ebur128 reading of both outputs.
//
//   pnpm bench:long-file [--corpus ../shared/corpus] [--minutes 10,30,60] [--target -14] [--ceiling -1]
//                        [--in-memory-up-to 20]
//
// The programme is the corpus's six unmastered mixes (each song's stems summed with 9 dB of
// headroom, as bench-input.ts makes one) played in turn until the duration is reached, as a
// 24-bit WAV in a temp dir. Lacquer runs in a child process, as a worker would: the analyzer's
// task (`analyzeFiles`), `decide`, then the mastering service's task (`renderMasterFile`),
// both told to take the long way (`longFileSeconds: 0`). Up to `--in-memory-up-to` minutes the
// same child also runs the in-memory way, for comparison. Peak memory is the resident set of the
// whole process tree (ffmpeg decoding included), sampled every 20 ms (run-measured.ts).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ffmpegLoudness } from '@lacquer/testing/ffmpeg-meter';
import { loudnormTwoPass } from './loudnorm-two-pass.ts';
import { type MeasuredRun, runMeasured } from './run-measured.ts';

const SONGS = [
  'muldjord/chaos_god',
  'muldjord/mutilated_mime',
  'sectoid/escape_from_chaosland',
  'sectoid/feelings',
  'sectoid/metal_madness',
  'sectoid/war_of_freedom',
];
const SCRIPT = new URL(import.meta.url).pathname;

/** The child's one line of JSON on stdout. */
interface ChildReport {
  readonly analyzeSeconds: number;
  readonly renderSeconds: number;
  readonly longProgramme: boolean;
  readonly outputIntegratedLufs: number;
  readonly outputTruePeakDbtp: number;
  readonly stageSeconds: Record<string, number>;
}

if (process.argv[2] === '--child') {
  await child(process.argv.slice(3));
} else {
  await main();
}

/** Masters `input` into `outDir` the way the workers do; prints a {@link ChildReport}. */
async function child([input, outDir, targetText, ceilingText, way]: string[]): Promise<void> {
  const { analyzeFiles } = await import('../../services/analyzer/src/tasks/analyze-files.ts');
  const { renderMasterFile } = await import('../../services/mastering/src/tasks/render-master-file.ts');
  const { decide, resolveTarget } = await import('@lacquer/engine');
  const longFileSeconds = way === 'long' ? 0 : Number.POSITIVE_INFINITY;
  const maxDurationSeconds = 4 * 3600;
  let start = performance.now();
  const analyzed = await analyzeFiles({
    inputPath: input!,
    referencePath: null,
    maxDurationSeconds,
    longFileSeconds,
  });
  const analyzeSeconds = (performance.now() - start) / 1000;
  const target = resolveTarget({
    integratedLufs: Number(targetText),
    truePeakCeilingDbtp: Number(ceilingText),
  });
  const plan = decide(analyzed.input, target, {});
  start = performance.now();
  const rendered = await renderMasterFile({
    inputPath: input!,
    plan,
    loudestSection: analyzed.input.loudestSection,
    outDir: outDir!,
    maxDurationSeconds,
    longFileSeconds,
  });
  const report: ChildReport = {
    analyzeSeconds,
    renderSeconds: (performance.now() - start) / 1000,
    longProgramme: rendered.longProgramme,
    outputIntegratedLufs: rendered.output.integratedLufs,
    outputTruePeakDbtp: rendered.output.truePeakDbtp,
    stageSeconds: { ...rendered.stageSeconds, ...rendered.render.stageSeconds },
  };
  console.log(JSON.stringify(report));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: process.env.LACQUER_CORPUS ?? '../shared/corpus' },
      minutes: { type: 'string', default: '10,30,60' },
      target: { type: 'string', default: '-14' },
      ceiling: { type: 'string', default: '-1' },
      'in-memory-up-to': { type: 'string', default: '20' },
    },
  });
  const corpus = resolve(values.corpus ?? '');
  if (!SONGS.every((song) => existsSync(join(corpus, song, 'song.ogg')))) {
    console.log(`corpus not found at ${corpus}: pass --corpus <path to shared/corpus>; skipping`);
    return;
  }
  const minutesList = (values.minutes ?? '').split(',').map(Number);
  const targetLufs = Number(values.target);
  const ceilingDbtp = Number(values.ceiling);
  const inMemoryUpTo = Number(values['in-memory-up-to']);
  const work = mkdtempSync(join(tmpdir(), 'lacquer-long-bench-'));
  try {
    const mixes = await prepareMixes(corpus, work);
    const rows: string[] = [];
    for (const minutes of minutesList) {
      const input = await concatenate(mixes, minutes, work);
      const runs: [string, MeasuredRun, string][] = [];
      const ways = minutes <= inMemoryUpTo ? ['long', 'in-memory'] : ['long'];
      for (const way of ways) {
        const outDir = join(work, `${minutes}-${way}`);
        mkdirSync(outDir);
        const run = await runMeasured([
          'node',
          '--import',
          'tsx',
          SCRIPT,
          '--child',
          input,
          outDir,
          String(targetLufs),
          String(ceilingDbtp),
          way,
        ]);
        runs.push([`lacquer (${way})`, run, join(outDir, 'master.wav')]);
        const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ChildReport;
        console.log(`${minutes} min, lacquer ${way}: ${JSON.stringify(report)}`);
      }
      const loudnormPath = join(work, `${minutes}-loudnorm.wav`);
      const loudnorm = await loudnormTwoPass({
        inputPath: input,
        outputPath: loudnormPath,
        targetLufs,
        ceilingDbtp,
        sampleRateHz: 44100,
      });
      runs.push([`ffmpeg loudnorm two-pass (${loudnorm.normalizationType})`, loudnorm, loudnormPath]);
      for (const [name, run, output] of runs) {
        const measured = await ffmpegLoudness(output);
        rows.push(
          `| ${minutes} | ${name} | ${run.wallSeconds.toFixed(1)} | ${run.peakTreeRssMb.toFixed(0)} | ` +
            `${measured.integratedLufs.toFixed(2)} | ${measured.truePeakDbtp.toFixed(2)} |`,
        );
        rmSync(output, { force: true });
      }
      rmSync(input, { force: true });
    }
    console.log(
      `\ntarget ${targetLufs} LUFS, ceiling ${ceilingDbtp} dBTP; loudness and true peak by ffmpeg ebur128=peak=true`,
    );
    console.log(
      '| minutes | processor | wall time (s) | peak memory, process tree (MB) | integrated (LUFS) | true peak (dBTP) |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The six unmastered mixes as float WAVs (stems summed, −9 dB), made once. */
async function prepareMixes(corpus: string, work: string): Promise<string[]> {
  return Promise.all(
    SONGS.map(async (song, i) => {
      const mixPath = join(work, `mix-${i}.wav`);
      const dir = join(corpus, song);
      // biome-ignore format: one ffmpeg option per line pair reads better
      await runMeasured([
        'ffmpeg', '-v', 'error', '-y',
        '-i', join(dir, 'song.ogg'),
        '-i', join(dir, 'guitar.ogg'),
        '-filter_complex', 'amix=inputs=2:normalize=0,volume=-9dB',
        '-c:a', 'pcm_f32le',
        mixPath,
      ]);
      return mixPath;
    }),
  );
}

/** The mixes in turn, repeated, cut at `minutes`, as a 24-bit WAV. */
async function concatenate(mixes: readonly string[], minutes: number, work: string): Promise<string> {
  const listPath = join(work, 'list.txt');
  // About 3 minutes a mix: enough repetitions to pass the duration.
  const repeats = Math.ceil(minutes / 3 / mixes.length) + 1;
  const lines = Array.from({ length: repeats }, () => mixes.map((mix) => `file '${mix}'`)).flat();
  writeFileSync(listPath, `${lines.join('\n')}\n`);
  const path = join(work, `programme-${minutes}min.wav`);
  // biome-ignore format: one ffmpeg option per line pair reads better
  await runMeasured([
    'ffmpeg', '-v', 'error', '-y',
    '-f', 'concat', '-safe', '0', '-i', listPath,
    '-t', String(minutes * 60),
    '-c:a', 'pcm_s24le',
    path,
  ]);
  return path;
}
