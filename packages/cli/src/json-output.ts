import type { LoudnessSeries } from '@lacquer/dsp';

/**
 * A loudness series as `[[tEndSeconds, LUFS], …]`, the format of the EBU conformance kit
 * (`../shared/conformance/check.mjs`): time to 0.1 ms, loudness to 0.001 LU, `null` for
 * the `-Infinity` of silence.
 */
export function seriesPoints(series: LoudnessSeries): [number, number | null][] {
  return Array.from(series.valuesLufs, (lufs, k) => [
    Math.round((series.firstEndSeconds + k * series.hopSeconds) * 1e4) / 1e4,
    Number.isFinite(lufs) ? Math.round(lufs * 1e3) / 1e3 : null,
  ]);
}
