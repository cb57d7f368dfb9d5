import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * Runs the ffmpeg command line directly (not through `@lacquer/media`) to make test inputs
 * independently of the code under test. `stdoutPath` takes ffmpeg's stdout (for outputs written
 * to a pipe, such as a WAV of unknown length). Test helper: not exported by the package.
 *
 * @throws Error with ffmpeg's stderr when it exits non-zero.
 */
export function runFfmpegCli(args: readonly string[], stdoutPath?: string): void {
  const stdout = stdoutPath === undefined ? 'ignore' : openSync(stdoutPath, 'w');
  try {
    const result = spawnSync('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-y', ...args], {
      stdio: ['ignore', stdout, 'pipe'],
    });
    if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr?.toString()}`);
  } finally {
    if (typeof stdout === 'number') closeSync(stdout);
  }
}
