import { join } from 'node:path';
import { type MeasuredRun, runMeasured } from '../bench/run-measured.ts';
import { REPO_ROOT } from './quality-options.ts';

/**
 * The command `pnpm -s lacquer` runs, without pnpm's own start-up (about 0.5 s), by absolute
 * path so that the working folder does not matter.
 */
const LACQUER = ['node', join(REPO_ROOT, 'packages/cli/bin/lacquer.mjs')];

/** One `lacquer master` run. */
export interface LacquerMasterOptions {
  readonly inputPath: string;
  /** `--out`: master.wav and the rest land here. */
  readonly outDir: string;
  readonly targetLufs: number;
  readonly ceilingDbtp: number;
  /** `--reference`; `undefined` runs auto mode. */
  readonly referencePath: string | undefined;
}

/**
 * Runs `lacquer --help` once, unmeasured: the launcher rebuilds its bundle after a source
 * change (about 0.3 s), which would otherwise be charged to the first measured run.
 */
export async function warmUpLacquer(): Promise<void> {
  await runMeasured([...LACQUER, '--help']);
}

/** Runs `lacquer master` measured ({@link runMeasured}); resolves with the master's path. */
export async function lacquerMaster(
  options: LacquerMasterOptions,
): Promise<{ readonly masterPath: string; readonly run: MeasuredRun }> {
  const { inputPath, outDir, targetLufs, ceilingDbtp, referencePath } = options;
  const run = await runMeasured([
    ...LACQUER,
    'master',
    inputPath,
    '--out',
    outDir,
    '--target-lufs',
    String(targetLufs),
    '--ceiling-dbtp',
    String(ceilingDbtp),
    ...(referencePath === undefined ? [] : ['--reference', referencePath]),
  ]);
  return { masterPath: join(outDir, 'master.wav'), run };
}
