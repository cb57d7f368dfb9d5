import { forbiddenCommandRule } from './forbidden-command-rule.ts';

/** DL3027: scripts use apt-get (or apt-cache), not apt. */
export const aptGetNotApt = forbiddenCommandRule(
  'DL3027',
  "apt's command line is for people and not stable for scripts (it says so itself)",
  'apt',
  'use apt-get or apt-cache, not apt',
);
