import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InferenceInputError } from "../errors.ts";
import { helloWorldPng, zooModel } from "../testing/zoo.ts";
import { ThreadedEngine } from "./threaded-engine.ts";

let engine: ThreadedEngine;

beforeAll(async () => {
  const ocr = await zooModel("paddleocr-v4");
  engine = await ThreadedEngine.create({ modelDirs: [ocr.dir], device: "auto", threads: 1 });
}, 60_000);
afterAll(async () => {
  await engine.close();
});

describe("ThreadedEngine", () => {
  it("says which provider it chose and why, and what it serves", () => {
    const description = engine.describe();
    expect(description.provider).toBe("cpu");
    expect(description.providerNote).toMatch(/^CPU, because /);
    expect(description.models).toEqual([
      { id: "paddleocr-v4", model: "paddleocr-v4", task: "ocr", batching: { maxBatchSize: 16, maxWaitMs: 2 } },
    ]);
  });

  it("runs inference without blocking this event loop", async () => {
    const png = await helloWorldPng();
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const results = await Promise.all([1, 2, 3].map(() => engine.ocr("paddleocr-v4", png)));
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(results.map((result) => result.text)).toEqual(Array(3).fill("Hello World 2025"));
    // On this thread, session.run would stall the timer for about the whole run
    // (ORT blocks the thread it runs on); beside it, the timer keeps ticking.
    expect(longestGap).toBeLessThan(elapsed / 2);
  });

  it("brings input errors back as InferenceInputError", async () => {
    const unknown = await engine.ocr("no-such-model", new Uint8Array(1)).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(InferenceInputError);
    expect(unknown).toMatchObject({
      code: "model_not_found",
      message: "The model 'no-such-model' is not served by this worker.",
    });
    const wrongTask = await engine.embed("paddleocr-v4", ["x"]).catch((e: unknown) => e);
    expect(wrongTask).toMatchObject({
      code: "unsupported_task",
      message: "The model 'paddleocr-v4' does not support embeddings.",
    });
    const stats = await engine.stats();
    expect(stats["paddleocr-v4"]?.items).toBeGreaterThan(0);
  });

  it("fails to start with the reason when a model folder is broken", async () => {
    await expect(ThreadedEngine.create({ modelDirs: ["/nonexistent"], device: "cpu" })).rejects.toThrow(
      "/nonexistent: no aiaas.json manifest",
    );
  });

  it("refuses INFERENCE_DEVICE=cuda where CUDA cannot load", async () => {
    const ocr = await zooModel("paddleocr-v4");
    await expect(ThreadedEngine.create({ modelDirs: [ocr.dir], device: "cuda" })).rejects.toThrow(
      /^INFERENCE_DEVICE=cuda, but /,
    );
    await expect(ThreadedEngine.create({ modelDirs: [ocr.dir], device: "cuda:3" })).rejects.toThrow(
      /^INFERENCE_DEVICE=cuda:3, but /,
    );
  });
});

describe("ThreadedEngine generation", () => {
  it("generates nothing for a call whose signal aborted before it reached the thread", async () => {
    const gpt = await zooModel("kjv-gpt-mini");
    const generator = await ThreadedEngine.create({ modelDirs: [gpt.dir], device: "cpu", threads: 1 });
    try {
      const controller = new AbortController();
      controller.abort();
      const texts: string[] = [];
      const result = await generator.generate(
        "kjv-gpt-mini",
        { prompt: "And", maxTokens: 200 },
        { onText: (delta) => texts.push(delta), signal: controller.signal },
      );
      expect(result).toMatchObject({ finishReason: "cancelled", completionTokens: 0 });
      expect(texts).toEqual([]);
    } finally {
      await generator.close();
    }
  }, 60_000);
});
