import { buildStages } from '../build-stages.ts';
import { copyFromFlag } from '../copy-from-flag.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';

/** DL3022: `COPY --from` names an earlier stage (or a tagged image). */
export const copyFromStage: DockerfileRule = {
  code: 'DL3022',
  why: 'a --from that names no stage is pulled as an image: a typo becomes a registry lookup',
  check: ({ dockerfile }) => {
    const stages = buildStages(dockerfile);
    return stages.flatMap((stage) =>
      stage.instructions
        .filter((i) => i.getKeyword() === 'COPY')
        .flatMap((copy) => {
          const from = copyFromFlag(copy);
          if (from === null) return [];
          const earlier = stages.slice(0, stage.index);
          const known =
            earlier.some((s) => s.name === from.toLowerCase() || String(s.index) === from) ||
            /[:@]/.test(from);
          return known
            ? []
            : [
                {
                  line: instructionLine(copy),
                  code: 'DL3022',
                  message: `COPY --from=${from} names no earlier stage`,
                },
              ];
        }),
    );
  },
};
