import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The repository's root folder (this file is `scripts/quality/quality-options.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The command line of `pnpm quality`, resolved. */
export interface QualityOptions {
  /** The corpus: `<artist>/<song>/song.ogg` and `guitar.ogg` per song. */
  readonly corpusDir: string;
  /** Where `quality-report.md` and `quality-report.json` go. */
  readonly outDir: string;
  /** Songs asked for by `--songs` (`chaos_god` or `muldjord/chaos_god`); `undefined`: all. */
  readonly songs: readonly string[] | undefined;
  /** `--skip-long`: leave out the ~20-minute file. */
  readonly skipLong: boolean;
}

/**
 * Reads `pnpm quality [--corpus <dir>] [--out <dir>] [--songs <a,b,…>] [--skip-long]`. The
 * corpus is `--corpus`, else `$LACQUER_CORPUS`, else `../shared/corpus` beside the repository;
 * the output folder `--out`, else `out/quality` in the repository. Throws on an unknown option.
 */
export function parseQualityOptions(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): QualityOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      corpus: { type: 'string' },
      out: { type: 'string' },
      songs: { type: 'string' },
      'skip-long': { type: 'boolean', default: false },
    },
  });
  const songs = values.songs
    ?.split(',')
    .map((song) => song.trim())
    .filter(Boolean);
  return {
    corpusDir: values.corpus
      ? resolve(values.corpus)
      : env.LACQUER_CORPUS
        ? resolve(env.LACQUER_CORPUS)
        : resolve(REPO_ROOT, '../shared/corpus'),
    outDir: values.out ? resolve(values.out) : resolve(REPO_ROOT, 'out/quality'),
    songs: songs && songs.length > 0 ? songs : undefined,
    skipLong: values['skip-long'] ?? false,
  };
}
