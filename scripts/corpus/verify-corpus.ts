// Checks the engine on the real songs of the corpus, as issue 2 asks, and prints Markdown:
//  1. the meter: `lacquer analyze` on each full mix (stems summed) against ffmpeg's
//     ebur128=peak=true — integrated within 0.1 LU, true peak within 0.2 dB, LRA within 0.5 LU;
//  2. the master: each unmastered mix (stems summed with 9 dB of headroom) mastered with the
//     default target and with --target-lufs -9 — by ffmpeg's meter within 0.3 LU of the
//     target and at or under the ceiling; no NaN, no sample at or over full scale.
//
//   pnpm verify-corpus [--corpus ../shared/corpus]
//
// Exits 1 when any check fails; skips (exit 0) when the corpus is absent.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { decodeAudio } from '@lacquer/media';
import { ffmpegLoudness } from '../../packages/testing/src/ffmpeg-meter.ts';

const run = promisify(execFile);
const { values } = parseArgs({
  options: { corpus: { type: 'string', default: process.env.LACQUER_CORPUS ?? '../shared/corpus' } },
});
const corpus = resolve(values.corpus!);
const SONGS = [
  'sectoid/escape_from_chaosland',
  'sectoid/feelings',
  'sectoid/metal_madness',
  'sectoid/war_of_freedom',
  'muldjord/chaos_god',
  'muldjord/mutilated_mime',
];
if (!existsSync(join(corpus, SONGS[0]!, 'song.ogg'))) {
  console.log(`corpus not found at ${corpus}: pass --corpus <path to shared/corpus>; skipping`);
  process.exit(0);
}
const METER_I_TOLERANCE_LU = 0.1;
const METER_TP_TOLERANCE_DB = 0.2;
const METER_LRA_TOLERANCE_LU = 0.5;
const MASTER_I_TOLERANCE_LU = 0.3;
// ffmpeg prints its linear true peak to 3 decimals (±0.005 dB near −1 dBTP).
const FFMPEG_PEAK_PRINT_RESOLUTION_DB = 0.005;
// The command `pnpm -s lacquer` runs, without pnpm's own start-up (about 0.5 s).
const lacquer = ['node', 'packages/cli/bin/lacquer.mjs'];
const work = mkdtempSync(join(tmpdir(), 'lacquer-corpus-'));
let failures = 0;
const mark = (ok: boolean) => {
  if (!ok) failures++;
  return ok ? 'ok' : '**FAIL**';
};
const f = (value: number, digits = 2) => value.toFixed(digits);

async function mix(song: string, headroomDb: number): Promise<string> {
  const out = join(work, `${song.replaceAll('/', '-')}-${headroomDb}.wav`);
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    join(corpus, song, 'song.ogg'),
    '-i',
    join(corpus, song, 'guitar.ogg'),
    '-filter_complex',
    `amix=inputs=2:normalize=0,volume=${-headroomDb}dB`,
    '-c:a',
    'pcm_f32le',
    out,
  ]);
  return out;
}

try {
  console.log('### Meter: `lacquer analyze` vs ffmpeg `ebur128=peak=true` on the full mixes\n');
  console.log(
    '| song | I lacquer | I ffmpeg | ΔI | TP lacquer | TP ffmpeg | ΔTP | LRA lacquer | LRA ffmpeg | ΔLRA | |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const song of SONGS) {
    const file = await mix(song, 0);
    const ours = JSON.parse(
      (await run(lacquer[0]!, [...lacquer.slice(1), 'analyze', '--json', file])).stdout,
    );
    const theirs = await ffmpegLoudness(file);
    const dI = ours.integratedLufs - theirs.integratedLufs;
    const dTp = ours.truePeakDbtp - theirs.truePeakDbtp;
    const dLra = ours.loudnessRangeLu - theirs.loudnessRangeLu;
    const ok =
      Math.abs(dI) <= METER_I_TOLERANCE_LU &&
      Math.abs(dTp) <= METER_TP_TOLERANCE_DB &&
      Math.abs(dLra) <= METER_LRA_TOLERANCE_LU;
    console.log(
      `| ${song} | ${f(ours.integratedLufs)} | ${f(theirs.integratedLufs)} | ${f(dI, 3)} | ${f(ours.truePeakDbtp)} | ${f(theirs.truePeakDbtp)} | ${f(dTp, 3)} | ${f(ours.loudnessRangeLu)} | ${f(theirs.loudnessRangeLu)} | ${f(dLra, 2)} | ${mark(ok)} |`,
    );
  }

  console.log('\n### Masters of the unmastered mixes (stems summed, −9 dB), measured by ffmpeg\n');
  console.log(
    '| song | input I | target | I ffmpeg | TP ffmpeg | ceiling | clipped samples | NaN | limiter GR (dB) | seconds | |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const song of SONGS) {
    const file = await mix(song, 9);
    const input = await ffmpegLoudness(file);
    for (const targetLufs of [-14, -9]) {
      const out = join(work, `${song.replaceAll('/', '-')}${targetLufs}`);
      const start = performance.now();
      await run(lacquer[0]!, [
        ...lacquer.slice(1),
        'master',
        file,
        '--out',
        out,
        '--target-lufs',
        String(targetLufs),
      ]);
      const seconds = (performance.now() - start) / 1000;
      const master = join(out, 'master.wav');
      const measured = await ffmpegLoudness(master);
      const audio = await decodeAudio(master);
      let clipped = 0;
      let nan = 0;
      for (const channel of audio.channels) {
        for (const x of channel) {
          if (Number.isNaN(x)) nan++;
          else if (Math.abs(x) >= 1) clipped++;
        }
      }
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      const ok =
        Math.abs(measured.integratedLufs - targetLufs) <= MASTER_I_TOLERANCE_LU &&
        measured.truePeakDbtp <= -1 + FFMPEG_PEAK_PRINT_RESOLUTION_DB &&
        clipped === 0 &&
        nan === 0;
      console.log(
        `| ${song} | ${f(input.integratedLufs, 1)} | ${targetLufs} | ${f(measured.integratedLufs)} | ${f(measured.truePeakDbtp)} | −1.0 | ${clipped} | ${nan} | ${f(report.render.limiterMaxGainReductionDb, 1)} | ${f(seconds, 1)} | ${mark(ok)} |`,
      );
    }
  }
  console.log(`\n${failures === 0 ? 'all checks passed' : `${failures} check(s) failed`}`);
  process.exitCode = failures === 0 ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
