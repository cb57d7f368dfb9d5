import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runMeasured } from './run-measured.ts';

/** The input of a benchmark: an unmastered mix of a corpus song, in a temp dir. */
export interface BenchInput {
  /** `<artist>/<song>` in the corpus. */
  readonly song: string;
  /** 24-bit WAV of the mix. */
  readonly mixPath: string;
  /** The temp dir holding it; the benchmark removes it. */
  readonly workDir: string;
  readonly runs: number;
}

/**
 * Reads `--corpus`, `--song` and `--runs` and makes the unmastered mix a producer would
 * upload (corpus README): the song's stems summed with 9 dB of headroom. `null` (after
 * saying so) when the corpus is not there.
 */
export async function prepareBenchInput(): Promise<BenchInput | null> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: process.env.LACQUER_CORPUS ?? '../shared/corpus' },
      song: { type: 'string', default: 'muldjord/chaos_god' },
      runs: { type: 'string', default: '3' },
    },
  });
  const song = values.song ?? '';
  const songDir = resolve(values.corpus ?? '', song);
  if (!existsSync(join(songDir, 'song.ogg'))) {
    console.log(`corpus song not found at ${songDir}: pass --corpus <path to shared/corpus>; skipping`);
    return null;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'lacquer-bench-'));
  const mixPath = join(workDir, 'mix.wav');
  // biome-ignore format: one ffmpeg option per line pair reads better
  await runMeasured([
    'ffmpeg', '-v', 'error', '-y',
    '-i', join(songDir, 'song.ogg'),
    '-i', join(songDir, 'guitar.ogg'),
    '-filter_complex', 'amix=inputs=2:normalize=0,volume=-9dB',
    '-c:a', 'pcm_s24le',
    mixPath,
  ]);
  return { song, mixPath, workDir, runs: Number(values.runs) };
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}
