import { buildStages, finalImageStages } from '../build-stages.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands } from '../shell-script.ts';
import { aptGetCommands } from './apt-get-commands.ts';

/** DL3009: a RUN of the final image that uses apt-get removes /var/lib/apt/lists in that RUN. */
export const aptListsRemoved: DockerfileRule = {
  code: 'DL3009',
  why: 'package lists left in a layer stay in the image (tens of MB) even if a later layer deletes them',
  check: ({ dockerfile }) => {
    const runs = finalImageStages(buildStages(dockerfile)).flatMap((stage) =>
      stage.instructions.filter((i) => i.getKeyword() === 'RUN'),
    );
    const usingApt = new Set(
      aptGetCommands(runs)
        .filter(({ subcommand }) => subcommand === 'update' || subcommand === 'install')
        .map(({ run }) => run),
    );
    return [...usingApt]
      .filter(
        (run) =>
          !runCommands(run).some(
            (words) => words[0] === 'rm' && words.some((w) => w.startsWith('/var/lib/apt/lists')),
          ),
      )
      .map((run) => ({
        line: instructionLine(run),
        code: 'DL3009',
        message: 'remove /var/lib/apt/lists/* in the RUN that runs apt-get',
      }));
  },
};
