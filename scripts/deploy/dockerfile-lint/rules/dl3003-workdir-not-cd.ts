import { forbiddenCommandRule } from './forbidden-command-rule.ts';

/** DL3003: WORKDIR, not `cd`, changes directory. */
export const workdirNotCd = forbiddenCommandRule(
  'DL3003',
  'a cd lasts one RUN; WORKDIR says where the next instructions run, for every reader',
  'cd',
  'use WORKDIR instead of cd',
);
