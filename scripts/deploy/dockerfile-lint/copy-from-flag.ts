import type { Instruction, ModifiableInstruction } from 'dockerfile-ast';

/** The `--from=` of a COPY (a stage or an image), or null when it copies from the build context. */
export function copyFromFlag(copy: Instruction): string | null {
  const flags = (copy as ModifiableInstruction).getFlags?.() ?? [];
  return flags.find((flag) => flag.getName() === 'from')?.getValue() ?? null;
}
