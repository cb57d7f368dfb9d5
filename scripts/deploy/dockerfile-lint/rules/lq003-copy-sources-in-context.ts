import { copyFromFlag } from '../copy-from-flag.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { isDockerIgnored } from '../dockerignore.ts';
import { instructionLine } from '../instruction-line.ts';

/** LQ003: no COPY names a file that `.dockerignore` leaves out of the build context. */
export const copySourcesInContext: DockerfileRule = {
  code: 'LQ003',
  why: 'a source the context leaves out fails the build with "not found", which only a build would show',
  check: ({ dockerfile, dockerignore }) =>
    dockerfile
      .getInstructions()
      .filter((i) => (i.getKeyword() === 'COPY' || i.getKeyword() === 'ADD') && copyFromFlag(i) === null)
      .flatMap((copy) =>
        copy
          .getArguments()
          .slice(0, -1)
          .map((argument) => argument.getValue().replace(/^\.\//, '').replace(/\/+$/, ''))
          .filter((source) => source !== '.' && isDockerIgnored(source, dockerignore))
          .map((source) => ({
            line: instructionLine(copy),
            code: 'LQ003',
            message: `${source} is excluded by .dockerignore`,
          })),
      ),
};
