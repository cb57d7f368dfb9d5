import { type BuildStage, buildStages } from '../build-stages.ts';
import { copyFromFlag } from '../copy-from-flag.ts';
import type { DockerfileRule } from '../dockerfile-rule.ts';
import { globToRegExp } from '../glob-pattern.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands } from '../shell-script.ts';

/** LQ002: before `pnpm install`, the stage has copied every file the frozen install reads. */
export const workspaceManifestsCopied: DockerfileRule = {
  code: 'LQ002',
  why: 'a workspace member whose package.json was not copied makes --frozen-lockfile fail or the image miss it',
  check: ({ dockerfile, pnpmInstallInputs }) =>
    buildStages(dockerfile).flatMap((stage) => {
      const install = stage.instructions.find(
        (i) =>
          i.getKeyword() === 'RUN' &&
          runCommands(i).some((w) => w[0] === 'pnpm' && ['install', 'i'].includes(w[1] ?? '')),
      );
      if (!install) return [];
      const sources = copiedSources(stage, stage.instructions.indexOf(install));
      return pnpmInstallInputs
        .filter((file) => !sources.some((source) => covers(source, file)))
        .map((file) => ({
          line: instructionLine(install),
          code: 'LQ002',
          message: `pnpm install runs before ${file} is copied`,
        }));
    }),
};

/** The build-context sources COPYed in `stage` (and the stages it is built on) before `end`. */
function copiedSources(stage: BuildStage, end: number): string[] {
  const sources: string[] = [];
  for (let current: BuildStage | null = stage; current !== null; current = current.parent) {
    const instructions = current === stage ? current.instructions.slice(0, end) : current.instructions;
    for (const copy of instructions.filter((i) => i.getKeyword() === 'COPY')) {
      if (copyFromFlag(copy) !== null) continue;
      sources.push(
        ...copy
          .getArguments()
          .slice(0, -1)
          .map((a) => normalize(a.getValue())),
      );
    }
  }
  return sources;
}

function normalize(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/** Whether a COPY source (a file, a folder, `.`, or a pattern) brings `file` along. */
function covers(source: string, file: string): boolean {
  const parents = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  return source === '.' || parents.some((path) => globToRegExp(source).test(path));
}
