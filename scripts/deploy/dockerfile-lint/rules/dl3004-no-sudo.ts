import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands } from '../shell-script.ts';
import { runInstructions } from './run-instructions.ts';

/** DL3004: no sudo in RUN. */
export const noSudo: DockerfileRule = {
  code: 'DL3004',
  why: 'RUN already runs as the USER in force; sudo hides that and needs a TTY and a sudoers entry',
  check: ({ dockerfile }) =>
    runInstructions(dockerfile)
      .filter((run) => runCommands(run).some((words) => words[0] === 'sudo'))
      .map((run) => ({ line: instructionLine(run), code: 'DL3004', message: 'do not use sudo' })),
};
