import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { finalUser } from './final-user.ts';

/** DL3002: the last USER of the image is not root. */
export const lastUserNotRoot: DockerfileRule = {
  code: 'DL3002',
  why: 'a service that runs as root turns any code-execution bug into root in the container',
  check: (context) => {
    const user = finalUser(context);
    const name = user?.getArgumentsContent()?.trim().split(':')[0];
    return user && (name === 'root' || name === '0')
      ? [{ line: instructionLine(user), code: 'DL3002', message: 'the last USER is root' }]
      : [];
  },
};
