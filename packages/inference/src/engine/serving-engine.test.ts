import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InferenceInputError } from "../errors.ts";
import { zooModel } from "../testing/zoo.ts";
import type { InferenceEngine } from "./inference-engine.ts";
import { createServingEngine } from "./serving-engine.ts";

let engine: InferenceEngine;

beforeAll(async () => {
  const [echo, embedder] = await Promise.all([zooModel("echo"), zooModel("kjv-embed-mini")]);
  engine = await createServingEngine({ modelDirs: [echo.dir, embedder.dir], device: "cpu", threads: 1 }, () => {});
}, 60_000);
afterAll(async () => {
  await engine.close();
});

describe("the serving engine", () => {
  it("serves graph models in the inference thread and the echo model beside them, as one engine", async () => {
    expect(engine.describe().models.map((model) => [model.id, model.task])).toEqual([
      ["kjv-embed-mini", "embedding"],
      ["echo", "echo"],
    ]);
    const [graph, echo] = await Promise.all([
      engine.embed("kjv-embed-mini", ["In the beginning"]),
      engine.embed("echo", ["In the beginning"]),
    ]);
    expect(graph.vectors[0]).toHaveLength(128);
    expect(echo.vectors[0]).toHaveLength(16);
    expect(Object.keys(await engine.stats()).sort()).toEqual(["echo", "kjv-embed-mini"]);
  });

  it("answers for a model it does not serve in the engine's words", async () => {
    await expect(engine.embed("nope", ["x"])).rejects.toBeInstanceOf(InferenceInputError);
  });
});
