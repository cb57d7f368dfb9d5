import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** What ffmpeg's EBU R128 meter (`ebur128=peak=true`) reads on a file: the independent reference. */
export interface FfmpegLoudness {
  readonly integratedLufs: number;
  readonly loudnessRangeLu: number;
  /** dBTP, from ffmpeg's linear true peak (printed to 3 decimals: ±0.005 dB near 0 dBTP). */
  readonly truePeakDbtp: number;
}

/**
 * Runs ffmpeg's `ebur128` filter (peak=true, metadata=1) on `path` and reads the last frame's
 * integrated loudness, LRA and true peak from its metadata (3 decimals, more than the
 * summary's 1).
 */
export async function ffmpegLoudness(path: string): Promise<FfmpegLoudness> {
  const dir = await mkdtemp(join(tmpdir(), 'lacquer-ebur128-'));
  const metadataPath = join(dir, 'metadata.txt');
  try {
    await promisify(execFile)('ffmpeg', [
      '-hide_banner',
      '-nostats',
      '-v',
      'error',
      '-i',
      path,
      '-af',
      `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${metadataPath}`,
      '-f',
      'null',
      '-',
    ]);
    const text = await readFile(metadataPath, 'utf8');
    const last = (key: string) => {
      const matches = [
        ...text.matchAll(
          new RegExp(`^lavfi\\.r128\\.${key.replaceAll('.', '\\.')}=(-?[\\d.]+|-?inf)$`, 'gm'),
        ),
      ];
      const value = matches.at(-1)?.[1];
      if (value === undefined) throw new Error(`ffmpeg printed no ${key} for ${path}`);
      return value.endsWith('inf') ? Number.NEGATIVE_INFINITY : Number(value);
    };
    return {
      integratedLufs: last('I'),
      loudnessRangeLu: last('LRA'),
      truePeakDbtp: 20 * Math.log10(last('true_peak')),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
