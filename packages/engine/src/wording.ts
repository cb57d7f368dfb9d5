// Number formatting for the reasons a musician reads in decision.json.

/** `+2.5` / `−1.0`, one decimal, with a true minus sign. */
export function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
}

/** `300 Hz` / `3 kHz`. */
export function formatHz(frequencyHz: number): string {
  return frequencyHz >= 1000 ? `${frequencyHz / 1000} kHz` : `${frequencyHz} Hz`;
}

/** `200–400 Hz` / `2–4 kHz` / `500 Hz–2 kHz`. */
export function formatHzRange(fromHz: number, toHz: number): string {
  if (fromHz >= 1000) return `${fromHz / 1000}–${toHz / 1000} kHz`;
  if (toHz < 1000) return `${fromHz}–${toHz} Hz`;
  return `${formatHz(fromHz)}–${formatHz(toHz)}`;
}

/** Rounds to one decimal, the precision a plan is written in. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Rounds to two decimals: curves and slopes, where 0.1 dB is too coarse. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
