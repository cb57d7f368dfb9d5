import type { Instruction } from 'dockerfile-ast';

/** The 1-based line an instruction starts on. */
export function instructionLine(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}
