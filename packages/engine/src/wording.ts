// Number formatting for the reasons a musician reads in decision.json.

/** `+2.5` / `−1.0`, one decimal, with a true minus sign. */
export function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
}

/** `300 Hz` / `3 kHz`. */
export function formatHz(frequencyHz: number): string {
  return frequencyHz >= 1000 ? `${frequencyHz / 1000} kHz` : `${frequencyHz} Hz`;
}

/** Rounds to one decimal, the precision a plan is written in. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
