import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { aptGetCommands } from './apt-get-commands.ts';
import { runInstructions } from './run-instructions.ts';

/** DL3015: `apt-get install` passes `--no-install-recommends`. */
export const noInstallRecommends: DockerfileRule = {
  code: 'DL3015',
  why: 'recommended packages (X11, docs, fonts for ffmpeg) add hundreds of MB nobody uses',
  check: ({ dockerfile }) =>
    aptGetCommands(runInstructions(dockerfile))
      .filter(
        ({ subcommand, words }) =>
          subcommand === 'install' &&
          !words.includes('--no-install-recommends') &&
          !words.includes('APT::Install-Recommends=false'),
      )
      .map(({ run }) => ({
        line: instructionLine(run),
        code: 'DL3015',
        message: 'apt-get install without --no-install-recommends',
      })),
};
