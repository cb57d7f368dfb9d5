import type { DeliveryTarget } from './delivery-target.ts';
import type { MatchAmounts } from './match-amounts.ts';

/** Every stage of a plan says why, in words a musician can read. */
interface Explained {
  readonly reason: string;
}

/** DC and subsonic removal: a Butterworth high-pass. */
export interface HighPassStage extends Explained {
  readonly frequencyHz: number;
  /** 2 or 4 (12 or 24 dB/octave). */
  readonly order: 2 | 4;
}

/**
 * One broad tonal move of auto mode: a low or high shelf, or a tilt about 1 kHz. The moves
 * add up to one smooth curve, rendered with linear phase (see `tonalMoveShapeDb`).
 */
export interface EqMove extends Explained {
  readonly shape: 'lowShelf' | 'highShelf' | 'tilt';
  /** The shelf's corner (half its gain there), or the tilt's pivot, Hz. */
  readonly frequencyHz: number;
  /** Shelves: the gain far past the corner, dB. Tilt: the slope, dB per octave. */
  readonly gainDb: number;
  /**
   * What was measured: the mix's mean deviation from the curve where the move acts (shape
   * only), dB; for the tilt, the least-squares slope of the deviation, dB per octave.
   */
  readonly evidence: { readonly regionHz: readonly [number, number]; readonly deviationDb: number };
}

/**
 * Reference mode's linear-phase match EQ: gain curves for mid and side on a log-frequency
 * grid (held constant beyond its ends), already scaled by the tone amount. The broadband
 * side change is the {@link WidthStage}'s, not part of `sideGainDb`.
 */
export interface MatchEqStage extends Explained {
  readonly frequenciesHz: readonly number[];
  readonly midGainDb: readonly number[];
  readonly sideGainDb: readonly number[];
  /** The largest cut and boost of the mid curve before the amount, dB, and where. */
  readonly evidence: {
    readonly largestBoostDb: number;
    readonly largestBoostHz: number;
    readonly largestCutDb: number;
    readonly largestCutHz: number;
  };
}

/** Glue compression on the stereo bus (linked). */
export interface CompressorStage extends Explained {
  readonly thresholdDb: number;
  readonly ratio: number;
  readonly kneeDb: number;
  readonly attackMs: number;
  readonly releaseMs: number;
}

/** Mid/side balance: the side signal scaled by `sideGainDb`. */
export interface WidthStage extends Explained {
  readonly sideGainDb: number;
}

/**
 * Low-end control: the side signal high-passed at `crossoverHz` with a linear-phase
 * Linkwitz–Riley (4th-order) magnitude, so everything below it plays in mono.
 */
export interface MonoBassStage extends Explained {
  readonly crossoverHz: number;
  readonly evidence: { readonly sideToMidBelowCrossoverDb: number };
}

/** The gain into the limiter; the render refines it until the target is met. */
export interface GainStage extends Explained {
  readonly gainDb: number;
}

/**
 * The true-peak limiter. `peakToLoudnessDb`, when set, is the density aimed for: the
 * limiter then holds peaks at `target + peakToLoudnessDb` when that is under the ceiling.
 */
export interface LimiterStage extends Explained {
  readonly ceilingDbtp: number;
  readonly lookaheadMs: number;
  readonly releaseMs: number;
  readonly peakToLoudnessDb: number | null;
}

/**
 * What the render does, stage by stage, in chain order (ARCHITECTURE.md): high-pass → EQ
 * (auto moves and reference match, one linear-phase mid/side pass that also holds width and
 * mono bass) → compressor → gain → limiter. Optional stages are `null` when not needed.
 */
export interface MasteringPlan {
  /** `reference` when a reference track was matched, else `auto`. */
  readonly mode: 'auto' | 'reference';
  readonly target: DeliveryTarget;
  /** Auto mode: how strongly corrections are applied, 0 … 100 %. */
  readonly intensityPercent: number;
  /** The tonal curve aimed for: a style (`balanced`, `warm`, `bright`) or `reference`. */
  readonly tonalCurve: string;
  /** Reference mode: how much of each dimension is matched. */
  readonly amounts: MatchAmounts | null;
  readonly highPass: HighPassStage | null;
  readonly eq: readonly EqMove[];
  readonly matchEq: MatchEqStage | null;
  readonly width: WidthStage | null;
  readonly monoBass: MonoBassStage | null;
  readonly compressor: CompressorStage | null;
  readonly gain: GainStage;
  readonly limiter: LimiterStage;
  /** Observations that led to no move ("stereo image is healthy …"). */
  readonly notes: readonly string[];
}
