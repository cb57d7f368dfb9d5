/** Amplitude ratio → decibels (20·log10). 0 gives `-Infinity`. */
export function linearToDb(gainLinear: number): number {
  return 20 * Math.log10(gainLinear);
}

/** Decibels → amplitude ratio (10^(dB/20)). */
export function dbToLinear(gainDb: number): number {
  return 10 ** (gainDb / 20);
}

/** Power ratio → decibels (10·log10). 0 gives `-Infinity`. */
export function powerToDb(power: number): number {
  return 10 * Math.log10(power);
}

/** Decibels → power ratio (10^(dB/10)). */
export function dbToPower(levelDb: number): number {
  return 10 ** (levelDb / 10);
}
