import { assertParameter } from './assert-planar-audio.ts';

/** A short-term loudness value: `[tEndSeconds, loudnessLufs]`, the window ending at `tEndSeconds`. */
export type ShortTermLoudnessPoint = readonly [tEndSeconds: number, loudnessLufs: number];

/** Options of {@link findLoudestSection}. */
export interface LoudestSectionOptions {
  /** Length of the section, seconds, > 0. Default 30 (a typical preview length). */
  readonly durationSeconds?: number;
  /** Duration of the whole audio, seconds, ≥ 0. */
  readonly totalDurationSeconds: number;
  /**
   * Window length of each series value, seconds, ≥ 0. Default 3 (EBU Tech 3341 short-term).
   * Taken as `durationSeconds` when longer than the section.
   */
  readonly shortTermWindowSeconds?: number;
}

/** Result of {@link findLoudestSection}. */
export interface LoudestSection {
  readonly startSeconds: number;
  readonly endSeconds: number;
  /**
   * Power mean of the short-term values inside the section, `10·log10(mean 10^(L/10))`, LUFS:
   * close to, but not, the BS.1770 integrated loudness of the section (no gating, overlapping
   * windows); `-Infinity` when every value inside is silent or the series is empty.
   */
  readonly loudnessLufs: number;
}

/**
 * Finds the `durationSeconds` section with the highest mean short-term energy, e.g. the
 * loudest 30 s for a preview or a loudness-matched comparison.
 *
 * Input: short-term loudness values (EBU Tech 3341 §2.2, 3 s windows) as
 * `[tEndSeconds, loudnessLufs]` in non-decreasing time, at any hop (10 ms or finer is
 * typical, irregular hops are fine); `-Infinity` is silence.
 *
 * Method: a section `[s, s + D]` is scored by the values whose whole window lies inside it
 * (`s + W ≤ tEnd ≤ s + D`, W the window length), averaged as energy (`10^(L/10)`), so a
 * loud passage just outside the section does not count. Candidate starts are `tEnd_i − W`
 * (clamped at 0, and such that the section ends by `totalDurationSeconds`); a two-pointer
 * sliding sum makes it O(n). Ties go to the earliest section.
 *
 * Edge cases: audio no longer than `durationSeconds` gives the whole audio
 * (`[0, totalDurationSeconds]`) with the power mean of all values; an empty series gives
 * `[0, min(D, total)]` at `-Infinity` LUFS.
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid options, a time that is not
 * finite or decreasing, or a NaN loudness.
 */
export function findLoudestSection(
  shortTermSeries: ReadonlyArray<ShortTermLoudnessPoint>,
  options: LoudestSectionOptions,
): LoudestSection {
  const what = 'findLoudestSection';
  const durationSeconds = options.durationSeconds ?? 30;
  const { totalDurationSeconds } = options;
  const shortTermWindowSeconds = options.shortTermWindowSeconds ?? 3;
  assertParameter(
    Number.isFinite(durationSeconds) && durationSeconds > 0,
    what,
    'durationSeconds',
    durationSeconds,
  );
  assertParameter(
    Number.isFinite(totalDurationSeconds) && totalDurationSeconds >= 0,
    what,
    'totalDurationSeconds',
    totalDurationSeconds,
  );
  assertParameter(
    Number.isFinite(shortTermWindowSeconds) && shortTermWindowSeconds >= 0,
    what,
    'shortTermWindowSeconds',
    shortTermWindowSeconds,
  );
  // A section shorter than one window holds no whole window: use the values that end at its end.
  const windowSeconds = Math.min(shortTermWindowSeconds, durationSeconds);

  const n = shortTermSeries.length;
  const times = new Float64Array(n);
  const energies = new Float64Array(n);
  let previousTime = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const [tEndSeconds, loudnessLufs] = shortTermSeries[i]!;
    // Checked inline: the parameter name is only built on failure.
    if (!(Number.isFinite(tEndSeconds) && tEndSeconds >= previousTime)) {
      assertParameter(false, what, `shortTermSeries[${i}] time`, tEndSeconds);
    }
    if (Number.isNaN(loudnessLufs))
      assertParameter(false, what, `shortTermSeries[${i}] loudness`, loudnessLufs);
    times[i] = tEndSeconds;
    energies[i] = 10 ** (loudnessLufs / 10);
    previousTime = tEndSeconds;
  }

  if (totalDurationSeconds <= durationSeconds) {
    return { startSeconds: 0, endSeconds: totalDurationSeconds, loudnessLufs: powerMeanLufs(energies, 0, n) };
  }
  const latestStartSeconds = totalDurationSeconds - durationSeconds;
  let bestStartSeconds = 0;
  let bestFirst = 0;
  let bestEnd = 0;
  let bestMean = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let end = 0; // exclusive: values [i, end) lie in the section that starts at the window of value i
  for (let i = 0; i < n; i++) {
    const startSeconds = Math.max(0, times[i]! - windowSeconds);
    if (startSeconds > latestStartSeconds) break;
    const sectionEndSeconds = startSeconds + durationSeconds;
    if (end < i) {
      end = i;
      sum = 0;
    }
    while (end < n && times[end]! <= sectionEndSeconds) sum += energies[end++]!;
    const count = end - i;
    if (count > 0) {
      const mean = Math.max(0, sum) / count;
      if (mean > bestMean) {
        bestMean = mean;
        bestStartSeconds = startSeconds;
        bestFirst = i;
        bestEnd = end;
      }
    }
    if (end > i) sum -= energies[i]!;
  }
  if (bestMean === Number.NEGATIVE_INFINITY) {
    return { startSeconds: 0, endSeconds: durationSeconds, loudnessLufs: Number.NEGATIVE_INFINITY };
  }
  return {
    startSeconds: bestStartSeconds,
    endSeconds: bestStartSeconds + durationSeconds,
    // Recomputed directly: the sliding sum may carry rounding from values that left it.
    loudnessLufs: powerMeanLufs(energies, bestFirst, bestEnd),
  };
}

/** `10·log10(mean of energies[from … to))`; `-Infinity` for an empty range. */
function powerMeanLufs(energies: Float64Array, from: number, to: number): number {
  if (to <= from) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = from; i < to; i++) sum += energies[i]!;
  return 10 * Math.log10(sum / (to - from));
}
