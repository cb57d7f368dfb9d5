import { buildStages } from '../build-stages.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { parseImageReference } from '../image-reference.ts';
import { instructionLine } from '../instruction-line.ts';

/** DL3007: no base image is tagged `latest`. */
export const noLatestTag: DockerfileRule = {
  code: 'DL3007',
  why: '`latest` moves: two builds of one commit may get different bases',
  check: ({ dockerfile }) =>
    buildStages(dockerfile).flatMap((stage) =>
      stage.image !== null && stage.parent === null && parseImageReference(stage.image).tag === 'latest'
        ? [
            {
              line: instructionLine(stage.from),
              code: 'DL3007',
              message: `pin a version instead of latest: ${stage.image}`,
            },
          ]
        : [],
    ),
};
