import type { CorpusMix } from './corpus-mixes.ts';

/** The four cases of the report. */
export type CaseName = 'de-mastered' | 'cross' | 'unmastered' | 'long';
export type ProcessorName = 'lacquer' | 'loudnorm';
/** Lacquer with `--reference`, Lacquer without it, or ffmpeg two-pass loudnorm. */
export type ModeName = 'reference' | 'auto' | 'loudnorm';

/** One processor run on one input: one row of the report. */
export interface CaseRun {
  readonly caseName: CaseName;
  /** What the row is about, e.g. `muldjord/chaos_god` or `a → reference b`. */
  readonly songs: string;
  readonly processor: ProcessorName;
  readonly mode: ModeName;
  readonly input: CorpusMix;
  /**
   * The reference: tonal distance before (input vs it) and after (output vs it) are measured
   * against it, and mode `reference` gives it to Lacquer. `undefined`: the tonal distance is
   * that of the output from the input (how far the tone moved), with no "before".
   */
  readonly reference: CorpusMix | undefined;
  readonly targetLufs: number;
  readonly ceilingDbtp: number;
}

/** The delivery target of the reference cases and of the long file. */
export const STREAMING_TARGET = { targetLufs: -14, ceilingDbtp: -1 } as const;
/** The targets the unmastered mixes are mastered to, LUFS (ceiling −1 dBTP). */
export const UNMASTERED_TARGETS_LUFS = [-14, -11, -9] as const;

/**
 * Every run of the report, in order:
 * 1. de-mastered pairs (each of `songs`): Lacquer with and without the reference, loudnorm;
 * 2. cross pairs: each of `songs` with the next song of `corpusSongs` (cyclic) as reference,
 *    Lacquer and loudnorm (left out when the corpus has one song);
 * 3. unmastered mixes at each of {@link UNMASTERED_TARGETS_LUFS}: Lacquer auto and loudnorm;
 * 4. unless `skipLong`, the unmastered mixes of all of `corpusSongs` one after the other.
 */
export function planCases(
  corpusSongs: readonly string[],
  songs: readonly string[],
  options: { readonly skipLong: boolean },
): CaseRun[] {
  const runs: CaseRun[] = [];
  const both = (run: Omit<CaseRun, 'processor' | 'mode'>, lacquerModes: readonly ModeName[]) => {
    for (const mode of lacquerModes) runs.push({ ...run, processor: 'lacquer', mode });
    runs.push({ ...run, processor: 'loudnorm', mode: 'loudnorm' });
  };
  for (const song of songs) {
    both(
      {
        caseName: 'de-mastered',
        songs: song,
        input: { kind: 'de-mastered', song },
        reference: { kind: 'full', song },
        ...STREAMING_TARGET,
      },
      ['reference', 'auto'],
    );
  }
  if (corpusSongs.length > 1) {
    for (const song of songs) {
      const next = corpusSongs[(corpusSongs.indexOf(song) + 1) % corpusSongs.length]!;
      both(
        {
          caseName: 'cross',
          songs: `${song} → reference ${next}`,
          input: { kind: 'full', song },
          reference: { kind: 'full', song: next },
          ...STREAMING_TARGET,
        },
        ['reference'],
      );
    }
  }
  for (const song of songs) {
    for (const targetLufs of UNMASTERED_TARGETS_LUFS) {
      both(
        {
          caseName: 'unmastered',
          songs: song,
          input: { kind: 'unmastered', song },
          reference: undefined,
          targetLufs,
          ceilingDbtp: STREAMING_TARGET.ceilingDbtp,
        },
        ['auto'],
      );
    }
  }
  if (!options.skipLong) {
    both(
      {
        caseName: 'long',
        songs: `${corpusSongs.length} unmastered mixes in a row`,
        input: { kind: 'long', songs: corpusSongs },
        reference: undefined,
        ...STREAMING_TARGET,
      },
      ['auto'],
    );
  }
  return runs;
}
