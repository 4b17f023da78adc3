import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Copy } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { dockerfileStages, lastInstruction, stageLineage, type Stage } from "./dockerfile-stages.ts";

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Each Dockerfile, and the images (targets) it makes that run an app. */
const images = {
  "infra/docker/Dockerfile": ["console", "gateway", "worker", "cli"],
  "infra/docker/Dockerfile.worker-gpu": ["worker-gpu"],
};
/** What a runtime image may take from a build stage: built output, never dependencies. */
const builtOutputs = ["packages/db/src/generated", "apps/console/.next", "/usr/local/bin/node"];

/**
 * Why a stage is not production-only, or nothing: every `npm ci` in its
 * lineage omits dev dependencies, and it copies from other stages only
 * built output or what a production-only stage holds.
 */
function devDependencyPaths(stages: Stage[], target: string): string[] {
  const problems: string[] = [];
  for (const stage of stageLineage(stages, target))
    for (const instruction of stage.instructions) {
      const text = instruction.getArgumentsContent() ?? "";
      if (instruction.getKeyword() === "RUN" && /\bnpm ci\b/.test(text) && !text.includes("--omit=dev"))
        problems.push(`${stage.name}: npm ci without --omit=dev`);
      const from = instruction.getKeyword() === "COPY" ? (instruction as Copy).getFromFlag()?.getValue() : undefined;
      if (!from || !stages.some((candidate) => candidate.name === from)) continue;
      const sources = instruction
        .getArguments()
        .map((argument) => argument.getValue())
        .filter((value) => !value.startsWith("--"))
        .slice(0, -1);
      if (sources.every((source) => builtOutputs.some((output) => source.endsWith(output)))) continue;
      problems.push(...devDependencyPaths(stages, from).map((problem) => `${stage.name} ← ${problem}`));
    }
  return problems;
}

describe.each(Object.entries(images))("%s", (file, targets) => {
  const stages = dockerfileStages(at(file));

  it("passes the Dockerfile linter (dockerfile-utils) without an error or a warning", () => {
    const problems = validate(readFileSync(at(file), "utf8")).map(
      (diagnostic) =>
        `line ${diagnostic.range.start.line + 1}: ${typeof diagnostic.message === "string" ? diagnostic.message : diagnostic.message.value}`,
    );
    expect(problems).toEqual([]);
  });

  it.each(targets)("makes %s run as a user other than root", (target) => {
    const user = lastInstruction(stages, target, "USER");
    expect(user, "USER").toBeDefined();
    expect(["root", "0"]).not.toContain(user?.split(":")[0]);
  });

  it.each(targets.filter((target) => target !== "cli"))("gives %s a healthcheck", (target) => {
    expect(lastInstruction(stages, target, "HEALTHCHECK")).toMatch(/\/healthz|\/api\/health/);
  });

  it.each(targets)("puts production dependencies only in %s", (target) => {
    expect(devDependencyPaths(stages, target)).toEqual([]);
  });
});
