import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';
import { runCommands } from '../shell-script.ts';
import { runInstructions } from './run-instructions.ts';

const INSTALL = new Set(['install', 'i', 'add']);
/** npm flags followed by a value, which is not a package. */
const VALUE_FLAGS = new Set([
  '--prefix',
  '--omit',
  '--include',
  '--registry',
  '--cache',
  '--tag',
  '-w',
  '--workspace',
]);
const NOT_FROM_REGISTRY = /^(\.|\/|~|https?:|git[+@:]|file:|github:)/;

/** DL3016: packages installed with `npm install <pkg>` name a version (`pnpm@10`). */
export const npmPinned: DockerfileRule = {
  code: 'DL3016',
  why: 'an unpinned global tool changes under the image between two builds of one commit',
  check: ({ dockerfile }) =>
    runInstructions(dockerfile).flatMap((run) =>
      runCommands(run)
        .filter((words) => words[0] === 'npm' && INSTALL.has(words[1] ?? ''))
        .flatMap((words) => unpinnedPackages(words.slice(2)))
        .map((name) => ({
          line: instructionLine(run),
          code: 'DL3016',
          message: `pin the version of ${name} (${name}@<version>)`,
        })),
    ),
};

function unpinnedPackages(args: readonly string[]): string[] {
  const packages = args.filter((arg, i) => !arg.startsWith('-') && !VALUE_FLAGS.has(args[i - 1] ?? ''));
  return packages.filter(
    (name) => !NOT_FROM_REGISTRY.test(name) && !name.endsWith('.tgz') && name.indexOf('@', 1) < 0,
  );
}
