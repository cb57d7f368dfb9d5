import { LacquerError } from '@lacquer/errors';

/** What a master must meet: an integrated loudness and a true-peak ceiling. */
export interface DeliveryTarget {
  /** Preset name, or `custom`. */
  readonly name: string;
  /** Integrated loudness per ITU-R BS.1770-4, LUFS, −40 … −5. */
  readonly integratedLufs: number;
  /** Highest allowed true peak per BS.1770-4 Annex 2, dBTP, −9 … 0. */
  readonly truePeakCeilingDbtp: number;
  /** Where the figures come from. */
  readonly source: string;
}

/**
 * Delivery presets. Streaming services normalize playback to a reference loudness; a master
 * at that loudness is played without being turned down, and the ceiling leaves room for the
 * lossy encoders' overshoot. Figures are the services' published playback references as of
 * 2024; where a service recommends a ceiling we use it, else −1 dBTP (AES TD1008 §5: −1 dBTP
 * for lossy-coded distribution).
 */
export const DELIVERY_PRESETS = {
  spotify: {
    name: 'spotify',
    integratedLufs: -14,
    truePeakCeilingDbtp: -1,
    source: 'Spotify for Artists, "Loudness normalization": plays at −14 LUFS, masters at −1 dBTP or lower',
  },
  'apple-music': {
    name: 'apple-music',
    integratedLufs: -16,
    truePeakCeilingDbtp: -1,
    source: 'Apple Digital Masters guidance and Sound Check at about −16 LUFS; −1 dBTP per AES TD1008',
  },
  youtube: {
    name: 'youtube',
    integratedLufs: -14,
    truePeakCeilingDbtp: -1,
    source: 'YouTube playback normalization to about −14 LUFS (Stats for nerds "content loudness")',
  },
  amazon: {
    name: 'amazon',
    integratedLufs: -14,
    truePeakCeilingDbtp: -2,
    source: 'Amazon Music normalization to −14 LUFS; Amazon recommends −2 dBTP',
  },
  tidal: {
    name: 'tidal',
    integratedLufs: -14,
    truePeakCeilingDbtp: -1,
    source: 'TIDAL loudness normalization at −14 LUFS; −1 dBTP per AES TD1008',
  },
  deezer: {
    name: 'deezer',
    integratedLufs: -15,
    truePeakCeilingDbtp: -1,
    source: 'Deezer normalization at −15 LUFS; −1 dBTP per AES TD1008',
  },
  soundcloud: {
    name: 'soundcloud',
    integratedLufs: -14,
    truePeakCeilingDbtp: -1,
    source:
      'SoundCloud does not normalize; −14 LUFS keeps parity with the other services, −1 dBTP for its lossy encodes',
  },
  'cd-club': {
    name: 'cd-club',
    integratedLufs: -9,
    truePeakCeilingDbtp: -0.3,
    source:
      'No normalization on CD or club systems: a loud master, common practice −9 LUFS with a −0.3 dBTP ceiling',
  },
} as const satisfies Record<string, DeliveryTarget>;

/** A preset name of {@link DELIVERY_PRESETS}. */
export type DeliveryPresetName = keyof typeof DELIVERY_PRESETS;

/** The default target: −14 LUFS, −1.0 dBTP (the Spotify preset). */
export const DEFAULT_TARGET: DeliveryTarget = DELIVERY_PRESETS.spotify;

/** Ranges a target must lie in. */
export const TARGET_LOUDNESS_RANGE_LUFS = [-40, -5] as const;
export const TARGET_CEILING_RANGE_DBTP = [-9, 0] as const;

/**
 * Resolves a target from a preset name and/or explicit figures; explicit figures override
 * the preset's.
 *
 * @throws LacquerError `ENGINE_INVALID_TARGET` for an unknown preset or a figure out of range.
 */
export function resolveTarget(request: {
  preset?: string;
  integratedLufs?: number;
  truePeakCeilingDbtp?: number;
}): DeliveryTarget {
  let base: DeliveryTarget = DEFAULT_TARGET;
  if (request.preset !== undefined) {
    const preset = (DELIVERY_PRESETS as Record<string, DeliveryTarget>)[request.preset];
    if (!preset) {
      throw new LacquerError('ENGINE_INVALID_TARGET', `unknown preset "${request.preset}"`, {
        details: { known: Object.keys(DELIVERY_PRESETS) },
      });
    }
    base = preset;
  }
  const integratedLufs = request.integratedLufs ?? base.integratedLufs;
  const truePeakCeilingDbtp = request.truePeakCeilingDbtp ?? base.truePeakCeilingDbtp;
  assertInRange(integratedLufs, TARGET_LOUDNESS_RANGE_LUFS, 'integrated loudness (LUFS)');
  assertInRange(truePeakCeilingDbtp, TARGET_CEILING_RANGE_DBTP, 'true-peak ceiling (dBTP)');
  const custom = request.integratedLufs !== undefined || request.truePeakCeilingDbtp !== undefined;
  return custom
    ? {
        name: 'custom',
        integratedLufs,
        truePeakCeilingDbtp,
        source: `set by the caller (based on ${base.name})`,
      }
    : base;
}

function assertInRange(value: number, [min, max]: readonly [number, number], what: string): void {
  if (!(Number.isFinite(value) && value >= min && value <= max)) {
    throw new LacquerError('ENGINE_INVALID_TARGET', `${what} ${value} is outside ${min} … ${max}`, {
      details: { value, min, max },
    });
  }
}
