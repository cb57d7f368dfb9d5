import { LacquerError } from '@lacquer/errors';

/**
 * How much of a reference track is matched, per dimension, 0 … 100 % (default 100 each):
 * 0 % on all three gives the input back, only brought to the loudness target.
 */
export interface MatchAmounts {
  /** Tonal balance on mid and side (the match EQ's gains scale with it). */
  readonly tonePercent: number;
  /** Stereo width (the side-to-mid level difference). */
  readonly widthPercent: number;
  /** Density: the reference's peak-to-loudness ratio (PLR), reached by compression and limiting. */
  readonly densityPercent: number;
}

export const FULL_MATCH: MatchAmounts = { tonePercent: 100, widthPercent: 100, densityPercent: 100 };

/**
 * Fills in defaults and checks the range.
 *
 * @throws LacquerError `ENGINE_INVALID_OPTION` for an amount outside 0 … 100 or not a number.
 */
export function resolveAmounts(amounts: Partial<MatchAmounts> = {}): MatchAmounts {
  return {
    tonePercent: checkedPercent('tonePercent', amounts.tonePercent ?? FULL_MATCH.tonePercent),
    widthPercent: checkedPercent('widthPercent', amounts.widthPercent ?? FULL_MATCH.widthPercent),
    densityPercent: checkedPercent('densityPercent', amounts.densityPercent ?? FULL_MATCH.densityPercent),
  };
}

/**
 * `value` when it is a percentage, 0 … 100.
 *
 * @throws LacquerError `ENGINE_INVALID_OPTION` otherwise, naming `name`.
 */
export function checkedPercent(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new LacquerError('ENGINE_INVALID_OPTION', `${name} ${value} is outside 0 … 100 %`, {
      details: { option: name, value },
    });
  }
  return value;
}
