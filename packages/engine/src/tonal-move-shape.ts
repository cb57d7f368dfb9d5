import type { EqMove } from './mastering-plan.ts';

/** Steepness of the shelves: a logistic in log-frequency, 10 % to 90 % of the gain in 1.1 octaves. */
const SHELF_SLOPE_PER_OCTAVE = 4;
/** The tilt holds its level beyond the tonal curves' bands (31.5 Hz … 16 kHz). */
const TILT_RANGE_HZ = [31.5, 16_000] as const;

/**
 * The response of one unit move at `frequencyHz`: a shelf's share of its gain (0 … 1, ½ at
 * the corner), or the tilt's octaves from its pivot. Multiplied by the move's `gainDb` it
 * is the move's response in dB; the decision fits with these shapes and the render draws them.
 */
export function tonalMoveShapeDb(shape: EqMove['shape'], cornerHz: number, frequencyHz: number): number {
  const held = Math.min(TILT_RANGE_HZ[1], Math.max(TILT_RANGE_HZ[0], frequencyHz));
  const octaves = Math.log2((shape === 'tilt' ? held : frequencyHz) / cornerHz);
  switch (shape) {
    case 'lowShelf':
      return 1 / (1 + Math.exp(SHELF_SLOPE_PER_OCTAVE * octaves));
    case 'highShelf':
      return 1 / (1 + Math.exp(-SHELF_SLOPE_PER_OCTAVE * octaves));
    case 'tilt':
      return octaves;
    default: {
      const unknown: never = shape;
      throw new TypeError(`unknown tonal move ${String(unknown)}`);
    }
  }
}
