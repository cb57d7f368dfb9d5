import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Stems of a corpus song (corpus README): the mix is their sum. */
export const STEM_FILES = ['song.ogg', 'guitar.ogg'] as const;

/**
 * The songs of the corpus at `corpusDir`, as `<artist>/<song>`, sorted: every folder two levels
 * down that holds both stems. Empty when the folder is absent.
 */
export function findCorpusSongs(corpusDir: string): string[] {
  const subfolders = (dir: string): string[] => {
    try {
      return readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  };
  return subfolders(corpusDir)
    .flatMap((artist) => subfolders(join(corpusDir, artist)).map((song) => `${artist}/${song}`))
    .filter((song) => STEM_FILES.every((stem) => existsSync(join(corpusDir, song, stem))))
    .sort();
}

/**
 * The songs of `all` that `requested` names, in corpus order; each name is `<artist>/<song>` or
 * the song's folder alone. `undefined` asks for all. Throws when a name matches no song.
 */
export function selectSongs(all: readonly string[], requested: readonly string[] | undefined): string[] {
  if (requested === undefined) return [...all];
  const matches = (song: string, name: string) => song === name || song.endsWith(`/${name}`);
  const unknown = requested.filter((name) => !all.some((song) => matches(song, name)));
  if (unknown.length > 0) {
    throw new Error(`--songs: not in the corpus: ${unknown.join(', ')} (it has ${all.join(', ')})`);
  }
  return all.filter((song) => requested.some((name) => matches(song, name)));
}
