import type { Dockerfile, From, Instruction } from 'dockerfile-ast';

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface BuildStage {
  /** 0-based position among the FROMs (what `COPY --from=<n>` names). */
  readonly index: number;
  /** The `AS` name, lower-cased (Docker compares stage names without case); null when unnamed. */
  readonly name: string | null;
  readonly from: From;
  /** The base image with build arguments expanded (`node:20.20.2-bookworm-slim`), or null. */
  readonly image: string | null;
  /** The instructions after the FROM. */
  readonly instructions: readonly Instruction[];
  /** The earlier stage this one is built on (`FROM <stage>`), or null for an image. */
  readonly parent: BuildStage | null;
}

/** The build stages in file order (ARGs before the first FROM belong to none). */
export function buildStages(dockerfile: Dockerfile): BuildStage[] {
  const stages: BuildStage[] = [];
  let current: { instructions: Instruction[] } | null = null;
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      const image = from.getExpandedArguments()[0]?.getValue() ?? null;
      const parent = stages.find((stage) => stage.name !== null && stage.name === image?.toLowerCase());
      const instructions: Instruction[] = [];
      stages.push({
        index: stages.length,
        name: from.getBuildStage()?.toLowerCase() ?? null,
        from,
        image,
        instructions,
        parent: parent ?? null,
      });
      current = { instructions };
    } else {
      current?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The final stage and the stages it is built on, last first: what the image is made of. */
export function finalImageStages(stages: readonly BuildStage[]): BuildStage[] {
  const chain: BuildStage[] = [];
  for (let stage = stages.at(-1) ?? null; stage !== null; stage = stage.parent) chain.push(stage);
  return chain;
}
