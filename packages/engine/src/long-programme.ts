import { LacquerError } from '@lacquer/errors';

/**
 * Programmes longer than this go the long-programme way by default (seconds): decoded to a
 * scratch file and analyzed (`analyzeFrames`) and rendered (`renderMasterFrames`) in passes
 * over it, in memory that does not grow with the duration. Shorter ones are held in memory,
 * where the DSP pool's second thread makes them faster (about 70 MB per minute of stereo at
 * 44.1 kHz at the render's peak: 10 minutes is about 700 MB).
 */
export const DEFAULT_LONG_PROGRAMME_SECONDS = 600;

/** The environment variable that overrides {@link DEFAULT_LONG_PROGRAMME_SECONDS}. */
export const LONG_PROGRAMME_SECONDS_ENV = 'LACQUER_LONG_FILE_SECONDS';

/**
 * Whether a programme of `durationSeconds` (as probed; `undefined` when the file does not say)
 * takes the long-programme way: longer than `thresholdSeconds`, or of unknown length (the safe
 * way when nothing bounds the memory the other would need).
 */
export function isLongProgramme(durationSeconds: number | undefined, thresholdSeconds: number): boolean {
  return (
    durationSeconds === undefined || !Number.isFinite(durationSeconds) || durationSeconds > thresholdSeconds
  );
}

/**
 * The threshold of {@link isLongProgramme} from the environment: `LACQUER_LONG_FILE_SECONDS`,
 * seconds, 0 … 86400 (0 sends every programme the long way), else
 * {@link DEFAULT_LONG_PROGRAMME_SECONDS}.
 *
 * @throws LacquerError `CONFIG_INVALID` for a value that is not a number in range.
 */
export function longProgrammeSecondsOf(env: Readonly<Record<string, string | undefined>>): number {
  const text = env[LONG_PROGRAMME_SECONDS_ENV];
  if (text === undefined || text.trim() === '') return DEFAULT_LONG_PROGRAMME_SECONDS;
  const seconds = Number(text);
  if (!(Number.isFinite(seconds) && seconds >= 0 && seconds <= 86_400)) {
    throw new LacquerError('CONFIG_INVALID', `${LONG_PROGRAMME_SECONDS_ENV} must be 0 … 86400 seconds`, {
      details: { [LONG_PROGRAMME_SECONDS_ENV]: text },
    });
  }
  return seconds;
}
