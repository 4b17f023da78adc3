import { readFileSync } from "node:fs";
import { DockerfileParser, type From, type Instruction, type PropertyInstruction } from "dockerfile-ast";

export interface Stage {
  name: string;
  /** The image or earlier stage it starts from. */
  from: string;
  instructions: Instruction[];
}

/** The build stages of a Dockerfile, in order. */
export function dockerfileStages(path: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(readFileSync(path, "utf8")).getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const from = instruction as From;
      stages.push({ name: from.getBuildStage() ?? "", from: from.getImageName() ?? "", instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** A stage and the stages of the same file it builds on, from the first. */
export function stageLineage(stages: Stage[], target: string): Stage[] {
  const stage = stages.find((candidate) => candidate.name === target);
  if (!stage) throw new Error(`no stage named ${target}`);
  return [...(stages.some((parent) => parent.name === stage.from) ? stageLineage(stages, stage.from) : []), stage];
}

/** The ENV a container of `target` starts with (the base image's own aside). */
export function stageEnvironment(stages: Stage[], target: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const stage of stageLineage(stages, target))
    for (const instruction of stage.instructions)
      if (instruction.getKeyword() === "ENV")
        for (const property of (instruction as PropertyInstruction).getProperties())
          env[property.getName()] = property.getValue() ?? "";
  return env;
}

/** The last value of an instruction (USER, CMD, HEALTHCHECK…) in a stage's lineage, as written. */
export function lastInstruction(stages: Stage[], target: string, keyword: string): string | undefined {
  return (
    stageLineage(stages, target)
      .flatMap((stage) => stage.instructions)
      .filter((instruction) => instruction.getKeyword() === keyword)
      .at(-1)
      ?.getArgumentsContent() ?? undefined
  );
}
