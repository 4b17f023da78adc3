import { Ajv } from "ajv";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fullSequenceLogprobs, zooModel } from "@aiaas/inference/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";
import { usageOf } from "./testing/usage-of.ts";
import tokenizer from "../../../packages/model-zoo/models/kjv-gpt-mini/tokenizer.json" with { type: "json" };

let stack: GatewayStack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startGatewayStack();
  const tenant = await createUnlimitedTenant("choices");
  const { secret } = await createTestKey({ tenantId: tenant.id });
  client = new OpenAI({ apiKey: secret, baseURL: `${stack.url}/v1`, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await stack.close();
});

/** The char model's ids: one per character. */
const vocab = (tokenizer as { model: { vocab: Record<string, number> } }).model.vocab;
const idsOf = (text: string) => [...text].map((char) => vocab[char] ?? 0);

const schema = {
  type: "object",
  properties: {
    book: { type: "string", maxLength: 20 },
    chapter: { type: "integer" },
    people: { type: "array", items: { type: "string", maxLength: 12 }, maxItems: 2 },
    mood: { enum: ["joy", "wrath", "mercy"] },
    prophecy: { type: ["boolean", "null"] },
  },
  required: ["book", "chapter", "people", "mood", "prophecy"],
  additionalProperties: false,
};

describe("n and log probabilities", () => {
  it("n = 3 with logprobs: three choices, each token's log probability the model's softmax, recomputed here", async () => {
    const prompt = "And the LORD said unto";
    const completion = await client.completions.create({
      model: "kjv-gpt-mini",
      prompt,
      max_tokens: 16,
      n: 3,
      logprobs: 3,
      seed: 11,
    });
    expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(new Set(completion.choices.map((choice) => choice.text)).size).toBeGreaterThan(1);
    const folder = await zooModel("kjv-gpt-mini");
    let tokens = 0;
    for (const choice of completion.choices) {
      const logprobs = choice.logprobs;
      expect(logprobs?.tokens?.join("")).toBe(choice.text);
      tokens += logprobs?.tokens?.length ?? 0;
      const ids = idsOf(prompt + choice.text);
      const reference = await fullSequenceLogprobs(folder, ids);
      const start = idsOf(prompt).length;
      logprobs?.token_logprobs?.forEach((logprob, i) => {
        expect(logprob).toBeCloseTo(reference[start + i - 1]?.[ids[start + i] ?? 0] ?? 0, 4);
        const top = Object.values(logprobs.top_logprobs?.[i] ?? {});
        const best = [...(reference[start + i - 1] ?? [])].sort((a, b) => b - a).slice(0, 3);
        expect(top).toEqual(best.map((value): unknown => expect.closeTo(value, 4)));
      });
    }
    // Billed as OpenAI does: the prompt once, every choice's tokens.
    expect(completion.usage?.completion_tokens).toBe(tokens);
    const usage = await usageOf(completion._request_id ?? "");
    expect(usage.outputTokens).toBe(tokens);
  });

  it("chat: n choices with logprobs in chat's shape (bytes, top_logprobs)", async () => {
    const chat = await client.chat.completions.create({
      model: "kjv-gpt-mini",
      messages: [{ role: "user", content: "And God said" }],
      max_tokens: 8,
      n: 2,
      logprobs: true,
      top_logprobs: 2,
    });
    expect(chat.choices).toHaveLength(2);
    for (const choice of chat.choices) {
      const content = choice.logprobs?.content ?? [];
      expect(content.map((entry) => entry.token).join("")).toBe(choice.message.content);
      for (const entry of content) {
        expect(entry.bytes).toEqual([...Buffer.from(entry.token)]);
        expect(entry.logprob).toBeLessThanOrEqual(0);
        expect(entry.top_logprobs).toHaveLength(2);
      }
    }
  });

  it("refuses what it cannot give, naming the parameter", async () => {
    const ask = (extra: Record<string, unknown>) =>
      client.chat.completions.create({
        model: "kjv-gpt-mini",
        messages: [{ role: "user", content: "And God said" }],
        max_tokens: 4,
        ...extra,
      } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    await expect(ask({ n: 9 })).rejects.toMatchObject({ status: 400, param: "n" });
    await expect(ask({ top_logprobs: 2 })).rejects.toMatchObject({ status: 400, param: "top_logprobs" });
    await expect(ask({ n: 2, stream: true })).rejects.toMatchObject({ status: 400, param: "stream" });
    await expect(
      ask({
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "x",
            schema: { type: "object", properties: { a: { type: "string", format: "email" } } },
          },
        },
      }),
    ).rejects.toMatchObject({
      status: 400,
      param: "response_format.json_schema.schema",
      message: expect.stringContaining("'format' at #/properties/a") as unknown,
    });
  });
});

describe("structured output", () => {
  it("json_schema: every sampled answer parses and validates", async () => {
    const validate = new Ajv().compile(schema);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, seed) =>
        client.chat.completions.create({
          model: "kjv-gpt-mini",
          messages: [{ role: "user", content: "Who went into the ark?" }],
          max_tokens: 120,
          seed,
          response_format: { type: "json_schema", json_schema: { name: "verse", schema, strict: true } },
        }),
      ),
    );
    for (const answer of answers) {
      const text = answer.choices[0]?.message.content ?? "";
      expect(validate(JSON.parse(text)), text).toBe(true);
      expect(answer.choices[0]?.finish_reason).toBe("stop");
    }
  });

  it("json_object: an object", async () => {
    const answer = await client.chat.completions.create({
      model: "kjv-gpt-mini",
      messages: [{ role: "user", content: "Answer in JSON." }],
      max_tokens: 40,
      response_format: { type: "json_object" },
    });
    const value: unknown = JSON.parse(answer.choices[0]?.message.content ?? "");
    expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
  });
});
