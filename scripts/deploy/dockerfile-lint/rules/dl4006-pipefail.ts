import type { Instruction } from 'dockerfile-ast';
import { type BuildStage, buildStages } from '../build-stages.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands, runHasPipe } from '../shell-script.ts';

/** DL4006: a RUN with a pipe runs under a SHELL with `-o pipefail` (or sets it first). */
export const pipefail: DockerfileRule = {
  code: 'DL4006',
  why: 'without pipefail `a | b` succeeds when a fails, and the build goes on with a broken layer',
  check: ({ dockerfile }) =>
    buildStages(dockerfile).flatMap((stage) =>
      stage.instructions
        .filter((i) => i.getKeyword() === 'RUN' && runHasPipe(i))
        .filter((run) => !shellHasPipefail(stage, run) && !setsPipefail(run))
        .map((run) => ({
          line: instructionLine(run),
          code: 'DL4006',
          message: 'a RUN with a pipe needs SHELL ["/bin/bash", "-o", "pipefail", "-c"] before it',
        })),
    ),
};

/** Whether the SHELL in force at `run` (in its stage, else the stages it is built on) sets pipefail. */
function shellHasPipefail(stage: BuildStage, run: Instruction): boolean {
  for (let current: BuildStage | null = stage; current !== null; current = current.parent) {
    const before =
      current === stage
        ? current.instructions.slice(0, current.instructions.indexOf(run))
        : current.instructions;
    const shell = before.filter((i) => i.getKeyword() === 'SHELL').at(-1);
    if (shell) return (shell.getArgumentsContent() ?? '').includes('pipefail');
  }
  return false;
}

/** Whether the RUN starts with `set -o pipefail` (or `set -euo pipefail`). */
function setsPipefail(run: Instruction): boolean {
  const first = runCommands(run)[0] ?? [];
  return first[0] === 'set' && first.includes('pipefail');
}
