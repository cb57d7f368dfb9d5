import type { DockerfileRule } from '../dockerfile-rule.ts';
import { instructionLine } from '../instruction-line.ts';

const REMOTE = /^(https?:\/\/|git@)/;
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/;

/** DL3020: ADD only for URLs and archives to unpack; COPY for files and folders. */
export const copyNotAdd: DockerfileRule = {
  code: 'DL3020',
  why: 'ADD also fetches URLs and unpacks archives: COPY says the plain thing and does only that',
  check: ({ dockerfile }) =>
    dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'ADD')
      .filter((add) => {
        const sources = add
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue());
        return sources.some((source) => !REMOTE.test(source) && !ARCHIVE.test(source));
      })
      .map((add) => ({
        line: instructionLine(add),
        code: 'DL3020',
        message: 'use COPY, not ADD, for files',
      })),
};
