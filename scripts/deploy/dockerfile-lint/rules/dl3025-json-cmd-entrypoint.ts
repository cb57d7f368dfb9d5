import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { isJsonForm } from '../shell-script.ts';

/** DL3025: CMD and ENTRYPOINT use the JSON (exec) form. */
export const jsonCmdAndEntrypoint: DockerfileRule = {
  code: 'DL3025',
  why: 'the shell form runs `/bin/sh -c`, which becomes PID 1 and does not pass SIGTERM on',
  check: ({ dockerfile }) =>
    dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT')
      .filter((i) => !isJsonArray(i.getArgumentsContent() ?? ''))
      .map((i) => ({
        line: instructionLine(i),
        code: 'DL3025',
        message: `write ${i.getKeyword()} as a JSON array`,
      })),
};

function isJsonArray(content: string): boolean {
  if (!isJsonForm(content)) return false;
  try {
    const value: unknown = JSON.parse(content);
    return Array.isArray(value) && value.every((item) => typeof item === 'string');
  } catch {
    return false;
  }
}
