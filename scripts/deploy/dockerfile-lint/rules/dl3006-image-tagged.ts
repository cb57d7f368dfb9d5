import { buildStages } from '../build-stages.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { parseImageReference } from '../image-reference.ts';
import { instructionLine } from '../instruction-line.ts';

/** DL3006: every base image names its tag (or digest). */
export const imageTagged: DockerfileRule = {
  code: 'DL3006',
  why: 'an untagged base image is whatever `latest` is on the day of the build',
  check: ({ dockerfile }) =>
    buildStages(dockerfile).flatMap((stage) => {
      const line = instructionLine(stage.from);
      if (stage.image === null || stage.parent !== null || stage.image === 'scratch') return [];
      if (stage.image.includes('$')) {
        const message = `base image ${stage.image} is not resolvable here: give its ARG a default`;
        return [{ line, code: 'DL3006', message }];
      }
      const { tag, digest } = parseImageReference(stage.image);
      return tag === null && digest === null
        ? [{ line, code: 'DL3006', message: `tag the base image: ${stage.image}` }]
        : [];
    }),
};
