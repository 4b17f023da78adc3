import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { InferenceInputError } from "../errors.ts";
import { testSessionOptions, zooModel } from "../testing/zoo.ts";
import { EmbeddingModel } from "./embedding-model.ts";

let alone: EmbeddingModel;
let batched: EmbeddingModel;

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

beforeAll(async () => {
  const folder = await zooModel("kjv-embed-mini");
  alone = await EmbeddingModel.load(folder, testSessionOptions, { maxBatchSize: 1, maxWaitMs: 0 });
  batched = await EmbeddingModel.load(folder, testSessionOptions, { maxBatchSize: 32, maxWaitMs: 10 });
}, 60_000);

describe("kjv-embed-mini", () => {
  const sentences = [
    "The LORD is my shepherd; I shall not want.",
    "He maketh me to lie down in green pastures.",
    "And the king went up to the house of the LORD.",
    "a",
    "   ",
    "Love your neighbour as yourself, and forgive one another, for this is the law and the prophets.",
  ];

  it("gives unit vectors, batched or alone, the same within float tolerance", async () => {
    const one: Float32Array[] = [];
    for (const sentence of sentences) one.push(...(await alone.embed([sentence])).vectors);
    const requests = await Promise.all([sentences.slice(0, 2), sentences.slice(2)].map((part) => batched.embed(part)));
    const together = requests.flatMap((request) => request.vectors);
    expect(batched.batcher.stats.largest).toBe(sentences.length);
    together.forEach((vector, i) => {
      expect(vector.length).toBe(128);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
      const single = one[i] ?? new Float32Array(vector.length);
      const largest = Math.max(...Array.from(vector, (value, k) => Math.abs(value - (single[k] ?? 0))));
      expect(largest).toBeLessThan(1e-5);
    });
  });

  it("counts prompt tokens, and refuses an input longer than its context", async () => {
    const { promptTokens } = await alone.embed(["The LORD is my shepherd."]);
    expect(promptTokens).toBe(6); // the lord is my shepherd .
    const error = await alone.embed(["ok", "word ".repeat(80)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceInputError);
    expect((error as Error).message).toBe(
      "This model's maximum context length is 64 tokens, however input[1] has 80 tokens. Shorten the input.",
    );
  });

  it("ranks the related sentence above the unrelated one on the held-out triplets", async () => {
    const file = fileURLToPath(new URL("../../../model-zoo/train/triplets.json", import.meta.url));
    const triplets = JSON.parse(await readFile(file, "utf8")) as [string, string, string][];
    let right = 0;
    for (const [anchor, related, unrelated] of triplets) {
      const [a, p, n] = (await batched.embed([anchor, related, unrelated])).vectors;
      if (a && p && n && dot(a, p) > dot(a, n)) right++;
    }
    // The model card reports the accuracy; this guards it from regressing.
    expect(right / triplets.length).toBeGreaterThanOrEqual(0.9);
  });
});
