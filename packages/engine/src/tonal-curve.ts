import { TONAL_BALANCE_CENTRES_HZ } from '@lacquer/dsp';
import { LacquerError } from '@lacquer/errors';
import { CORPUS_MEASUREMENTS } from './corpus-measurements.ts';

/**
 * A target tonal balance: the long-term spectrum a finished master is compared against, in
 * the 28 one-third-octave bands of `TONAL_BALANCE_CENTRES_HZ` (31.5 Hz … 16 kHz), each band's
 * level minus the integrated loudness, dB (the definition of `measureTonalBalance`).
 */
export interface TonalCurve {
  readonly name: string;
  /** Where the curve comes from, for decision.json. */
  readonly source: string;
  /** 28 values, ascending frequency. */
  readonly bandsDb: readonly number[];
  /**
   * How far real masters of the style stray from the curve per band (dB, one standard
   * deviation): a deviation where songs naturally differ is weak evidence of a problem.
   */
  readonly spreadDb: readonly number[];
}

/** The styles auto mode offers. */
export const TONAL_STYLES = ['balanced', 'warm', 'bright'] as const;
export type TonalStyle = (typeof TONAL_STYLES)[number];

const { curves, songs, tiltSpreadDbPerOctave } = CORPUS_MEASUREMENTS;
const FROM_CORPUS = `${songs.length} full mixes of the project corpus (${songs.join(', ')})`;

/**
 * The curves, derived from data by `scripts/curves/derive-tonal-curves.ts`:
 * - balanced: the mean tonal balance of the corpus full mixes;
 * - warm / bright: balanced tilted about 1 kHz by one standard deviation of the mixes' own
 *   spectral tilts (the least-squares slope of each mix against the mean, dB per octave), so the
 *   styles differ by as much as real masters of the set differ from each other, no more.
 */
export const TONAL_CURVES: Readonly<Record<TonalStyle, TonalCurve>> = {
  balanced: {
    name: 'balanced',
    source: `mean tonal balance of ${FROM_CORPUS}`,
    bandsDb: curves.balancedDb,
    spreadDb: curves.spreadDb,
  },
  warm: {
    name: 'warm',
    source: `balanced tilted by −${tiltSpreadDbPerOctave.toFixed(2)} dB/octave about 1 kHz (one standard deviation of the tilts of ${FROM_CORPUS})`,
    bandsDb: curves.warmDb,
    spreadDb: curves.spreadDb,
  },
  bright: {
    name: 'bright',
    source: `balanced tilted by +${tiltSpreadDbPerOctave.toFixed(2)} dB/octave about 1 kHz (one standard deviation of the tilts of ${FROM_CORPUS})`,
    bandsDb: curves.brightDb,
    spreadDb: curves.spreadDb,
  },
};

/**
 * The curve of a style.
 *
 * @throws LacquerError `ENGINE_INVALID_OPTION` for a style not in {@link TONAL_STYLES}.
 */
export function tonalCurveOf(style: string): TonalCurve {
  if (!(TONAL_STYLES as readonly string[]).includes(style)) {
    throw new LacquerError('ENGINE_INVALID_OPTION', `unknown style "${style}" (${TONAL_STYLES.join(', ')})`, {
      details: { option: 'style', value: style },
    });
  }
  return TONAL_CURVES[style as TonalStyle];
}

/** The band centres the curves are written at, Hz. */
export const CURVE_CENTRES_HZ: readonly number[] = TONAL_BALANCE_CENTRES_HZ;
