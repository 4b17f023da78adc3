import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helloWorldPng } from "@aiaas/inference/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";
import { usageOf } from "./testing/usage-of.ts";
import { testDb } from "@aiaas/core/testing";
import tokenizer from "../../../packages/model-zoo/models/kjv-gpt-mini/tokenizer.json" with { type: "json" };

let stack: GatewayStack;
let client: OpenAI;
let secret: string;

beforeAll(async () => {
  stack = await startGatewayStack();
  const tenant = await createUnlimitedTenant("oai");
  ({ secret } = await createTestKey({ tenantId: tenant.id }));
  client = new OpenAI({ apiKey: secret, baseURL: `${stack.url}/v1`, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await stack.close();
});

describe("the official openai client against the gateway", () => {
  it("lists the models this key may use", async () => {
    const models = await client.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(["kjv-gpt-mini", "kjv-embed-mini", "paddleocr-v4"]));
    const first = models.data[0];
    expect(first?.object).toBe("model");
    expect(typeof first?.owned_by).toBe("string");
    expect(first?.created).toBeGreaterThan(1_700_000_000);
    expect((await client.models.retrieve("kjv-embed-mini")).id).toBe("kjv-embed-mini");
  });

  it("creates embeddings (base64 by default in the client, floats on request)", async () => {
    const { data: result, response } = await client.embeddings
      .create({ model: "kjv-embed-mini", input: ["In the beginning", "the word"] })
      .withResponse();
    expect(result.object).toBe("list");
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toHaveLength(128);
    expect(result.data[0]?.embedding.every(Number.isFinite)).toBe(true);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    const floats = await client.embeddings.create({
      model: "kjv-embed-mini",
      input: "In the beginning",
      encoding_format: "float",
    });
    expect(floats.data[0]?.embedding[0]).toBeCloseTo(result.data[0]?.embedding[0] ?? NaN, 5);
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(result).not.toHaveProperty("error");
    const usage = await usageOf(requestId);
    expect(usage).toMatchObject({
      status: "succeeded",
      inputTokens: result.usage.prompt_tokens,
      endpoint: "/v1/embeddings",
    });
  });

  it("takes token arrays as LangChain sends them (cl100k_base ids), embedding the text they spell", async () => {
    const { getEncoding } = await import("js-tiktoken");
    const cl100k = getEncoding("cl100k_base");
    const texts = ["In the beginning", "the word was with God"];
    const asText = await client.embeddings.create({ model: "kjv-embed-mini", input: texts, encoding_format: "float" });
    const asTokens = await client.embeddings.create({
      model: "kjv-embed-mini",
      input: texts.map((text) => cl100k.encode(text)),
      encoding_format: "float",
    });
    const single = await client.embeddings.create({
      model: "kjv-embed-mini",
      input: cl100k.encode(texts[0] ?? ""),
      encoding_format: "float",
    });
    expect(asTokens.data).toHaveLength(2);
    asTokens.data.forEach((item, i) =>
      item.embedding.forEach((value, j) => expect(value).toBeCloseTo(asText.data[i]?.embedding[j] ?? NaN, 5)),
    );
    expect(single.data[0]?.embedding[0]).toBeCloseTo(asText.data[0]?.embedding[0] ?? NaN, 5);
    const refused = await client.embeddings
      .create({ model: "kjv-embed-mini", input: [[1, 2], [999_999]] })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, param: "input[1]" });
  });

  it("refuses dimensions the model does not make with a 400 naming its size, and charges nothing for it", async () => {
    const { data: answered, response: first } = await client.embeddings
      .create({ model: "kjv-embed-mini", input: "In the beginning", dimensions: 128 })
      .withResponse();
    expect(answered.data[0]?.embedding).toHaveLength(128);
    const billed = await usageOf(first.headers.get("x-request-id") ?? "");
    expect(billed.status).toBe("succeeded");
    expect(billed.costMicros).toBeGreaterThan(0n);

    const refused = await client.embeddings
      .create({ model: "kjv-embed-mini", input: "In the beginning", dimensions: 3 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    const error = refused as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.param).toBe("dimensions");
    expect(error.message).toContain("128-dimensional");
    const usage = await usageOf(error.requestID ?? "");
    expect(usage).toMatchObject({ status: "failed", costMicros: 0n });
  });

  it("creates a completion with usage", async () => {
    const completion = await client.completions.create({
      model: "kjv-gpt-mini",
      prompt: "In the beginning",
      max_tokens: 8,
    });
    expect(completion.object).toBe("text_completion");
    expect(completion.choices[0]?.text.length).toBeGreaterThan(0);
    expect(["stop", "length"]).toContain(completion.choices[0]?.finish_reason);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("creates a chat completion, waiting", async () => {
    const chat = await client.chat.completions.create({
      model: "kjv-gpt-mini",
      messages: [{ role: "user", content: "And God said" }],
      max_tokens: 12,
      user: "end-user-42",
    });
    expect(chat.object).toBe("chat.completion");
    // OpenAI's form of id; our request id is in x-request-id, which the client reads as _request_id.
    expect(chat.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(chat._request_id).toBe(`req_${chat.id.slice("chatcmpl-".length)}`);
    expect(chat.choices[0]?.message.role).toBe("assistant");
    expect(chat.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(chat.usage?.prompt_tokens).toBeGreaterThan(0);
    const usage = await usageOf(chat._request_id ?? "");
    expect(usage.outputTokens).toBe(chat.usage?.completion_tokens);
    // `user` is kept for the tenant's own analytics.
    const request = await testDb().request.findUniqueOrThrow({ where: { id: chat._request_id ?? "" } });
    expect(request.endUser).toBe("end-user-42");
  });

  it("samples with logit_bias and the penalties in the model's own sampling, and refuses them out of range", async () => {
    const ask = async (extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>) =>
      (
        await client.chat.completions.create({
          model: "kjv-gpt-mini",
          messages: [{ role: "user", content: "And God said" }],
          max_tokens: 40,
          temperature: 0,
          ...extra,
        })
      ).choices[0]?.message.content ?? "";
    const greedy = await ask({});
    // The greedy answer repeats itself; a frequency penalty makes it say something else.
    expect(await ask({ frequency_penalty: 2 })).not.toBe(greedy);
    // The char model's token for the greedy answer's first character, banned: it appears nowhere.
    const vocab = (tokenizer as { model: { vocab: Record<string, number> } }).model.vocab;
    const first = greedy[0] ?? "";
    const banned = await ask({ logit_bias: { [String(vocab[first])]: -100 } });
    expect(banned.length).toBeGreaterThan(0);
    expect(banned).not.toContain(first);
    await expect(ask({ presence_penalty: 3 })).rejects.toMatchObject({ status: 400, param: "presence_penalty" });
    await expect(ask({ logit_bias: { the: 1 } })).rejects.toMatchObject({ status: 400 });
  });

  it("streams a chat completion as SSE, with usage at the end", async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: "kjv-gpt-mini",
        messages: [{ role: "user", content: "And God said" }],
        max_tokens: 24,
        // Sampled freely, the model ends after one token about once in 300 answers; with this seed it writes 19.
        seed: 7,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? "") !== "").length).toBeGreaterThan(1);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    expect(["stop", "length"]).toContain(finish?.choices[0]?.finish_reason);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
    const usage = await usageOf(response.headers.get("x-request-id") ?? "");
    expect(usage).toMatchObject({ status: "succeeded", outputTokens: last?.usage?.completion_tokens });
  });

  it("streams a legacy completion too", async () => {
    const stream = await client.completions.create({
      model: "kjv-gpt-mini",
      prompt: "And",
      max_tokens: 10,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text.length).toBeGreaterThan(0);
  });

  it("maps errors to the client's error classes", async () => {
    const badKey = new OpenAI({ apiKey: "sk-not-a-key", baseURL: `${stack.url}/v1`, maxRetries: 0 });
    await expect(badKey.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(
      client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const bad = await client.chat.completions
      .create({ model: "kjv-gpt-mini", messages: [{ role: "user", content: "hi" }], temperature: 5 })
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad).toMatchObject({ status: 400, param: "temperature", type: "invalid_request_error" });
    const wrongEndpoint = await client.embeddings
      .create({ model: "kjv-gpt-mini", input: "x" })
      .catch((error: unknown) => error);
    expect(wrongEndpoint).toBeInstanceOf(OpenAI.NotFoundError);
    expect(wrongEndpoint).toMatchObject({ code: "model_not_supported", param: "model" });
    const chatOnEmbeddings = await client.chat.completions
      .create({ model: "kjv-embed-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect((chatOnEmbeddings as Error).message).toContain(
      "'kjv-embed-mini' is an embedding model and is not supported in the v1/chat/completions endpoint. " +
        "Did you mean to use v1/embeddings?",
    );
  });
});

describe("our own endpoints", () => {
  const headers = () => ({ authorization: `Bearer ${secret}` });

  it("reads text from an image sent as base64 JSON and as multipart", async () => {
    const png = await helloWorldPng();
    const json = await fetch(`${stack.url}/v1/ocr`, {
      method: "POST",
      headers: { ...headers(), "content-type": "application/json" },
      body: JSON.stringify({ model: "paddleocr-v4", image: `data:image/png;base64,${png.toString("base64")}` }),
    });
    expect(json.status).toBe(200);
    const result = (await json.json()) as {
      text: string;
      lines: { confidence: number; box: number[][] }[];
      usage: { images: number };
    };
    expect(result.text.toLowerCase()).toContain("hello");
    expect(result.lines[0]?.box).toHaveLength(4);
    expect(result.usage.images).toBe(1);
    const form = new FormData();
    form.set("model", "paddleocr-v4");
    form.set("file", new Blob([png], { type: "image/png" }), "hello.png");
    const multipart = await fetch(`${stack.url}/v1/ocr`, { method: "POST", headers: headers(), body: form });
    expect(multipart.status).toBe(200);
    expect(((await multipart.json()) as { text: string }).text).toBe(result.text);
  });

  it("generates from query parameters alone (the plain form for scripts)", async () => {
    const url = `${stack.url}/v1/generate?model=kjv-gpt-mini&prompt=${encodeURIComponent("In the beginning")}&max_tokens=8`;
    const response = await fetch(url, { method: "POST", headers: headers() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; usage: { completion_tokens: number } };
    expect(typeof body.text).toBe("string");
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });
});
