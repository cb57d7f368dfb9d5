import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { aptGetCommands } from './apt-get-commands.ts';
import { runInstructions } from './run-instructions.ts';

const YES = /^(-[a-z]*y[a-z]*|--yes|--assume-yes|-qq|-q=2)$/;

/** DL3014: `apt-get install` answers yes by itself (`-y`). */
export const aptGetYes: DockerfileRule = {
  code: 'DL3014',
  why: 'a build has no terminal: without -y apt-get stops at its question and the build fails',
  check: ({ dockerfile }) =>
    aptGetCommands(runInstructions(dockerfile))
      .filter(({ subcommand, words }) => subcommand === 'install' && !words.some((w) => YES.test(w)))
      .map(({ run }) => ({
        line: instructionLine(run),
        code: 'DL3014',
        message: 'apt-get install without -y',
      })),
};
