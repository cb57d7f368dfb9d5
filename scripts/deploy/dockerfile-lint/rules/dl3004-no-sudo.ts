import { forbiddenCommandRule } from './forbidden-command-rule.ts';

/** DL3004: no sudo in RUN. */
export const noSudo = forbiddenCommandRule(
  'DL3004',
  'RUN already runs as the USER in force; sudo hides that and needs a TTY and a sudoers entry',
  'sudo',
  'do not use sudo',
);
