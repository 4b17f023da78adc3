import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { InferenceInputError } from "../../errors.ts";
import type { ModelFolder } from "../../read-model-folder.ts";
import { loadTextTokenizer, type TextTokenizer } from "../../text/text-tokenizer.ts";
import { testSessionOptions, zooModel } from "../../testing/zoo.ts";
import { floatData, int64Rows } from "../ort-tensors.ts";
import { DecoderModel, type GenerationResult } from "./decoder-model.ts";
import { argmax } from "./token-sampler.ts";

let folder: ModelFolder;
let alone: DecoderModel;
let batched: DecoderModel;
let tokenizer: TextTokenizer;

beforeAll(async () => {
  folder = await zooModel("kjv-gpt-mini");
  alone = await DecoderModel.load(folder, testSessionOptions, { maxBatchSize: 1, maxWaitMs: 0 });
  batched = await DecoderModel.load(folder, testSessionOptions, { maxBatchSize: 8, maxWaitMs: 10 });
  tokenizer = await loadTextTokenizer(folder.dir);
}, 60_000);

/** Greedy decoding the slow way: the whole sequence through the graph each step, no cache. */
async function greedyWithoutCache(prompt: string, steps: number) {
  const session = await ort.InferenceSession.create(folder.files.onnx ?? "", testSessionOptions);
  const ids = tokenizer.encode(prompt);
  const generated: number[] = [];
  for (let step = 0; step < steps; step++) {
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows([ids], ids.length, 0),
      attention_mask: int64Rows([ids.map(() => 1)], ids.length, 0),
      position_ids: int64Rows([ids.map((_, i) => i)], ids.length, 0),
    };
    for (const name of session.inputNames.filter((n) => n.startsWith("past_key_values."))) {
      feeds[name] = new ort.Tensor("float32", new Float32Array(0), [1, 4, 0, 32]);
    }
    const logits = floatData((await session.run(feeds)).logits, "logits");
    const vocabulary = logits.length / ids.length;
    const next = argmax(logits.subarray((ids.length - 1) * vocabulary));
    if (tokenizer.eosTokenIds.has(next)) break;
    ids.push(next);
    generated.push(next);
  }
  await session.release();
  return tokenizer.decode(generated);
}

describe("kjv-gpt-mini through the KV-cache generation loop", () => {
  it("writes like its corpus", async () => {
    const { text } = await alone.generate({
      prompt: "And the LORD spake unto Moses, saying,",
      temperature: 0,
      maxTokens: 80,
    });
    expect(text).toMatch(/\b(the|and|of|unto|LORD|shall)\b/);
  });

  it("decodes with the cache exactly as without it", async () => {
    const prompt = "In the beginning God created";
    const cached = await alone.generate({ prompt, temperature: 0, maxTokens: 40 });
    expect(cached.text).toBe(await greedyWithoutCache(prompt, 40));
  });

  it("gives each request the same text batched as alone, joining and leaving mid-batch", async () => {
    const requests = [
      { prompt: "And the LORD said", maxTokens: 30 },
      { prompt: "Blessed is the man that walketh not in the counsel of the ungodly", maxTokens: 50 },
      { prompt: "A", maxTokens: 10 },
      { prompt: "Then said Jesus unto them,", maxTokens: 70 },
      { prompt: "", maxTokens: 20 },
    ].map((request) => ({ ...request, temperature: 0 }));
    const one: GenerationResult[] = [];
    for (const request of requests) one.push(await alone.generate(request));
    const early = requests.slice(0, 3).map((request) => batched.generate(request));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const late = requests.slice(3).map((request) => batched.generate(request));
    expect(await Promise.all([...early, ...late])).toEqual(one);
    expect(batched.stats.largest).toBeGreaterThan(1);
  });

  it("samples reproducibly for a seed, and streams exactly the final text", async () => {
    const request = { prompt: "And it came to pass", temperature: 0.9, topP: 0.95, seed: 42, maxTokens: 60 };
    const pieces: string[] = [];
    const first = await batched.generate(request, { onText: (delta) => pieces.push(delta) });
    const second = await batched.generate(request);
    expect(second).toEqual(first);
    expect(pieces.join("")).toBe(first.text);
    const other = await batched.generate({ ...request, seed: 43 });
    expect(other.text).not.toBe(first.text);
  });

  it("stops at a stop sequence, leaving it out, and at max_tokens", async () => {
    const free = await alone.generate({ prompt: "And God said, Let there be", temperature: 0, maxTokens: 60 });
    const stop = free.text.slice(8, 11);
    const stopped = await alone.generate({
      prompt: "And God said, Let there be",
      temperature: 0,
      maxTokens: 60,
      stop: [stop],
    });
    expect(stopped.finishReason).toBe("stop");
    expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
    const short = await alone.generate({ prompt: "And", temperature: 0, maxTokens: 3 });
    expect(short).toMatchObject({ finishReason: "length", completionTokens: 3, promptTokens: 3 });
  });

  it("cancels mid-generation and keeps what was generated", async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await batched.generate(
      { prompt: "And", maxTokens: 200, temperature: 1, seed: 5 },
      {
        signal: controller.signal,
        onText: () => {
          if (++seen === 3) controller.abort();
        },
      },
    );
    expect(result.finishReason).toBe("cancelled");
    expect(result.completionTokens).toBeLessThan(10);
  });

  it("refuses a request that does not fit the context, as OpenAI words it", async () => {
    const tooLong = await alone.generate({ prompt: "x".repeat(250), maxTokens: 10 }).catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(InferenceInputError);
    expect((tooLong as Error).message).toBe(
      "This model's maximum context length is 256 tokens. However, you requested 260 tokens (250 in the prompt, 10 in the completion). Please reduce the length of the prompt or of max_tokens.",
    );
    await expect(alone.generate({ messages: [{ role: "user", content: "y".repeat(300) }] })).rejects.toThrow(
      /your messages alone is \d+ tokens, which leaves no room for a completion/,
    );
  });
});
