// Benchmark: `lacquer master` and `lacquer analyze` next to ffmpeg two-pass loudnorm and
// ffmpeg's ebur128 meter, on the same 3-minute unmastered mix, run from this one process.
//
//   pnpm bench [--corpus ../shared/corpus] [--song muldjord/chaos_god] [--runs 3]
//
// Targets (issue 2): master ≤ ½ of two-pass loudnorm's wall time; analyze ≤ ebur128's;
// peak memory < 400 MB. Prints a table and exits 1 when a target is missed.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { median, prepareBenchInput } from './bench-input.ts';
import { loudnormTwoPass } from './loudnorm-two-pass.ts';
import { type MeasuredRun, runMeasured } from './run-measured.ts';

const input = await prepareBenchInput();
if (!input) process.exit(0);
const { runs, song, mixPath: mix, workDir: work } = input;
// The command `pnpm -s lacquer` runs, without pnpm's own start-up (about 0.5 s).
const lacquer = ['node', 'packages/cli/bin/lacquer.mjs'];

try {
  const cases: Record<string, () => Promise<MeasuredRun>> = {
    'lacquer master': () => runMeasured([...lacquer, 'master', mix, '--out', join(work, 'master')]),
    'ffmpeg loudnorm two-pass': () =>
      loudnormTwoPass({
        inputPath: mix,
        outputPath: join(work, 'loudnorm.wav'),
        targetLufs: -14,
        ceilingDbtp: -1,
        sampleRateHz: 44100,
      }),
    'lacquer analyze': () => runMeasured([...lacquer, 'analyze', '--json', mix]),
    'ffmpeg ebur128=peak=true': () =>
      runMeasured([
        'ffmpeg',
        '-hide_banner',
        '-nostats',
        '-i',
        mix,
        '-af',
        'ebur128=peak=true',
        '-f',
        'null',
        '-',
      ]),
  };
  // Interleave the runs so that machine load affects every case alike; report the median.
  const results: Record<string, MeasuredRun[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, run] of Object.entries(cases)) results[name]!.push(await run());
  }
  const row = (name: string) => ({
    wallSeconds: median(results[name]!.map((r) => r.wallSeconds)),
    peakMb: Math.max(...results[name]!.map((r) => r.peakTreeRssMb)),
  });
  const table = Object.keys(cases).map((name) => ({ name, ...row(name) }));
  console.log(`input: ${song} as an unmastered mix (${mix}), ${runs} runs each, median wall time`);
  console.log('| command | wall time (s) | peak memory, process tree (MB) |');
  console.log('|---|---|---|');
  for (const r of table) console.log(`| ${r.name} | ${r.wallSeconds.toFixed(2)} | ${r.peakMb.toFixed(0)} |`);
  const master = row('lacquer master');
  const analyze = row('lacquer analyze');
  const checks = [
    [
      `master ≤ ½ loudnorm two-pass (${master.wallSeconds.toFixed(2)} ≤ ${(row('ffmpeg loudnorm two-pass').wallSeconds / 2).toFixed(2)} s)`,
      master.wallSeconds <= row('ffmpeg loudnorm two-pass').wallSeconds / 2,
    ],
    [
      `analyze ≤ ebur128 (${analyze.wallSeconds.toFixed(2)} ≤ ${row('ffmpeg ebur128=peak=true').wallSeconds.toFixed(2)} s)`,
      analyze.wallSeconds <= row('ffmpeg ebur128=peak=true').wallSeconds,
    ],
    [`master peak memory < 400 MB (${master.peakMb.toFixed(0)} MB)`, master.peakMb < 400],
    [`analyze peak memory < 400 MB (${analyze.peakMb.toFixed(0)} MB)`, analyze.peakMb < 400],
  ] as const;
  for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'} ${what}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
