import type { Instruction } from 'dockerfile-ast';
import { runCommands } from '../shell-script.ts';

/** An `apt-get <subcommand>` in a RUN: its instruction and its words. */
export interface AptGetCommand {
  readonly run: Instruction;
  readonly subcommand: string;
  readonly words: readonly string[];
}

/** Every `apt-get …` command of the given RUN instructions. */
export function aptGetCommands(runs: readonly Instruction[]): AptGetCommand[] {
  return runs.flatMap((run) =>
    runCommands(run)
      .filter((words) => words[0] === 'apt-get')
      .map((words) => ({ run, subcommand: words.find((w, i) => i > 0 && !w.startsWith('-')) ?? '', words })),
  );
}
