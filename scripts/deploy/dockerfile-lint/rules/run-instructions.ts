import type { Dockerfile, Instruction } from 'dockerfile-ast';

/** The RUN instructions of a Dockerfile, in order. */
export function runInstructions(dockerfile: Dockerfile): Instruction[] {
  return dockerfile.getInstructions().filter((i) => i.getKeyword() === 'RUN');
}
