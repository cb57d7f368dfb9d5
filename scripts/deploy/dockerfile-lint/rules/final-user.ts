import type { Instruction } from 'dockerfile-ast';
import { buildStages, finalImageStages } from '../build-stages.ts';
import type { DockerfileContext } from '../dockerfile-rule.ts';

/** The USER the image runs as: the last one in the final stage or the stages it is built on. */
export function finalUser(context: DockerfileContext): Instruction | null {
  for (const stage of finalImageStages(buildStages(context.dockerfile))) {
    const user = stage.instructions.filter((i) => i.getKeyword() === 'USER').at(-1);
    if (user) return user;
  }
  return null;
}
