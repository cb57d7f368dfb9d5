import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAD_INPUT_CASES } from './bad-input-cases.ts';
import type { BadInputManifest } from './bad-input-manifest.ts';
import { buildContext } from './build-context.ts';

/** The target every job of the corpus asks for: Spotify's (−14 LUFS, −1 dBTP). */
export const BAD_INPUT_TARGET = { integratedLufs: -14, truePeakDbtp: -1 } as const;
/** Files made at once. */
const BUILD_CONCURRENCY = 4;
/** The workers' default `LACQUER_MAX_DURATION_SECONDS`, which the expectations assume. */
const DEFAULT_MAX_DURATION_SECONDS = 3600;

/**
 * Writes every file of the corpus into `outDir` (created if needed) and its `manifest.json`,
 * and returns the manifest. Deterministic: the same bytes on every run with the same ffmpeg.
 *
 * @throws Error when ffmpeg is missing or fails, or a file cannot be written.
 */
export async function writeBadInputCorpus(outDir: string): Promise<BadInputManifest> {
  await mkdir(outDir, { recursive: true });
  const scratchDir = await mkdtemp(join(tmpdir(), 'lacquer-bad-input-'));
  try {
    const context = buildContext(scratchDir);
    // A few at a time: most of the work is ffmpeg runs, which overlap.
    let next = 0;
    await Promise.all(
      Array.from({ length: BUILD_CONCURRENCY }, async () => {
        while (next < BAD_INPUT_CASES.length) {
          const { build, file } = BAD_INPUT_CASES[next++]!;
          await writeFile(join(outDir, file), await build(context));
        }
      }),
    );
    const files = BAD_INPUT_CASES.map(({ build: _build, ...entry }) => entry);
    const manifest: BadInputManifest = {
      version: 1,
      target: BAD_INPUT_TARGET,
      maxDurationSeconds: DEFAULT_MAX_DURATION_SECONDS,
      files,
    };
    await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}
