import { buildStages } from '../build-stages.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { finalUser } from './final-user.ts';

/** LQ001: the image sets a USER at all (DL3002 only looks at the USER that is there). */
export const userSet: DockerfileRule = {
  code: 'LQ001',
  why: 'without a USER the image runs as root unless every runtime remembers runAsUser',
  check: (context) => {
    const last = buildStages(context.dockerfile).at(-1);
    return last && finalUser(context) === null
      ? [{ line: instructionLine(last.from), code: 'LQ001', message: 'the final stage sets no USER' }]
      : [];
  },
};
