import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands } from '../shell-script.ts';
import { runInstructions } from './run-instructions.ts';

/** DL3027: scripts use apt-get (or apt-cache), not apt. */
export const aptGetNotApt: DockerfileRule = {
  code: 'DL3027',
  why: "apt's command line is for people and not stable for scripts (it says so itself)",
  check: ({ dockerfile }) =>
    runInstructions(dockerfile)
      .filter((run) => runCommands(run).some((words) => words[0] === 'apt'))
      .map((run) => ({
        line: instructionLine(run),
        code: 'DL3027',
        message: 'use apt-get or apt-cache, not apt',
      })),
};
