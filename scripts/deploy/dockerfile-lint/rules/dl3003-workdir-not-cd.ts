import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands } from '../shell-script.ts';
import { runInstructions } from './run-instructions.ts';

/** DL3003: WORKDIR, not `cd`, changes directory. */
export const workdirNotCd: DockerfileRule = {
  code: 'DL3003',
  why: 'a cd lasts one RUN; WORKDIR says where the next instructions run, for every reader',
  check: ({ dockerfile }) =>
    runInstructions(dockerfile)
      .filter((run) => runCommands(run).some((words) => words[0] === 'cd'))
      .map((run) => ({ line: instructionLine(run), code: 'DL3003', message: 'use WORKDIR instead of cd' })),
};
