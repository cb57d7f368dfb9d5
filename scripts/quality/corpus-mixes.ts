import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { STEM_FILES } from './corpus-songs.ts';

/** The full mix: the stems summed as they are (it goes over 0 dBFS, so it is kept in float). */
export const FULL_MIX_FILTER = 'amix=inputs=2:normalize=0';
/** An unmastered mix as a producer uploads it: the stems summed with 9 dB of headroom. */
export const UNMASTERED_MIX_FILTER = `${FULL_MIX_FILTER},volume=-9dB`;
/**
 * The known change that "de-masters" a full mix: quieter, more bass, duller, boxy low mids
 * (+3 dB at 400 Hz, Q 1.4) and a narrower image (`extrastereo` scales L−R, the side, by 0.7 and
 * keeps the mid; `c=0` turns off its clipping to ±1, which would otherwise cut the overs).
 */
export const DE_MASTERING_FILTER =
  'volume=-8dB,lowshelf=f=150:g=4,highshelf=f=6000:g=-5,equalizer=f=400:t=q:w=1.4:g=3,extrastereo=m=0.7:c=0';

/** One of the WAVs the report makes from the corpus. */
export type CorpusMix =
  | { readonly kind: 'full' | 'unmastered' | 'de-mastered'; readonly song: string }
  /** The unmastered mixes of `songs`, one after the other. */
  | { readonly kind: 'long'; readonly songs: readonly string[] };

/** Makes the WAVs of {@link CorpusMix} on demand, each once, in a work folder. */
export interface CorpusMixes {
  /** The path of the mix, made first if it is not there yet. */
  path(mix: CorpusMix): Promise<string>;
}

const ffmpeg = (args: readonly string[]) =>
  promisify(execFile)('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { maxBuffer: 1 << 24 });

/** The name of a mix's file in the work folder. */
function fileName(mix: CorpusMix): string {
  const name =
    mix.kind === 'long' ? mix.songs.join('+').replaceAll('/', '--') : mix.song.replaceAll('/', '--');
  return `${mix.kind}--${name}.wav`;
}

/**
 * {@link CorpusMixes} from the corpus at `corpusDir`, written into `workDir` as 32-bit float WAV
 * (the full mixes go over 0 dBFS). Not measured: this is the input, not the work.
 */
export function createCorpusMixes(corpusDir: string, workDir: string): CorpusMixes {
  const made = new Map<string, Promise<string>>();
  const make = async (mix: CorpusMix, out: string): Promise<void> => {
    if (mix.kind === 'long') {
      const parts: string[] = [];
      for (const song of mix.songs) parts.push(await path({ kind: 'unmastered', song }));
      const inputs = parts.flatMap((part) => ['-i', part]);
      const labels = parts.map((_, i) => `[${i}:a]`).join('');
      const concat = `${labels}concat=n=${parts.length}:v=0:a=1`;
      await ffmpeg([...inputs, '-filter_complex', concat, '-c:a', 'pcm_f32le', out]);
    } else if (mix.kind === 'de-mastered') {
      const full = await path({ kind: 'full', song: mix.song });
      await ffmpeg(['-i', full, '-af', DE_MASTERING_FILTER, '-c:a', 'pcm_f32le', out]);
    } else {
      const stems = STEM_FILES.flatMap((stem) => ['-i', join(corpusDir, mix.song, stem)]);
      const filter = mix.kind === 'full' ? FULL_MIX_FILTER : UNMASTERED_MIX_FILTER;
      await ffmpeg([...stems, '-filter_complex', filter, '-c:a', 'pcm_f32le', out]);
    }
  };
  const path = (mix: CorpusMix): Promise<string> => {
    const out = join(workDir, fileName(mix));
    let pending = made.get(out);
    if (pending === undefined) {
      pending = make(mix, out).then(() => out);
      made.set(out, pending);
    }
    return pending;
  };
  return { path };
}
