import type { DeliveryTarget } from './delivery-target.ts';

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

/** One equalizer band (RBJ cookbook shapes). */
export interface EqBand extends Explained {
  readonly shape: 'lowShelf' | 'highShelf' | 'peaking';
  readonly frequencyHz: number;
  readonly gainDb: number;
  readonly q: number;
  /** What was measured: the band region and its deviation from the tonal curve. */
  readonly evidence: { readonly regionHz: readonly [number, number]; readonly deviationDb: number };
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

/** The gain into the limiter; the render refines it until the target is met. */
export interface GainStage extends Explained {
  readonly gainDb: number;
}

/** The true-peak limiter. */
export interface LimiterStage extends Explained {
  readonly ceilingDbtp: number;
  readonly lookaheadMs: number;
  readonly releaseMs: number;
}

/**
 * What the render does, stage by stage, in chain order (ARCHITECTURE.md): high-pass → EQ →
 * compressor → width → gain → limiter. Optional stages are `null` when not needed.
 */
export interface MasteringPlan {
  readonly target: DeliveryTarget;
  /** How strongly corrections are applied, 0 … 100 %. */
  readonly intensityPercent: number;
  readonly tonalCurve: string;
  readonly highPass: HighPassStage;
  readonly eq: readonly EqBand[];
  readonly compressor: CompressorStage | null;
  readonly width: WidthStage | null;
  readonly gain: GainStage;
  readonly limiter: LimiterStage;
  /** Observations that led to no move ("stereo image is healthy …"). */
  readonly notes: readonly string[];
}
