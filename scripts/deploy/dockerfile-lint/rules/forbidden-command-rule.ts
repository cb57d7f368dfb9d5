import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands } from '../shell-script.ts';
import { runInstructions } from './run-instructions.ts';

/** A rule that reports every RUN with a command (its first word) that is `command`. */
export function forbiddenCommandRule(
  code: string,
  why: string,
  command: string,
  message: string,
): DockerfileRule {
  return {
    code,
    why,
    check: ({ dockerfile }) =>
      runInstructions(dockerfile)
        .filter((run) => runCommands(run).some((words) => words[0] === command))
        .map((run) => ({ line: instructionLine(run), code, message })),
  };
}
