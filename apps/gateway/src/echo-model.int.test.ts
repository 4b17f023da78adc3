import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setModelAccess } from "@aiaas/core/tenants";
import { testContext, testDb } from "@aiaas/core/testing";
import { helloWorldPng } from "@aiaas/inference/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";
import { usageOf } from "./testing/usage-of.ts";

const db = testDb();
let stack: GatewayStack;
let granted: OpenAI;
let ungranted: OpenAI;
let grantedTenantId: string;

beforeAll(async () => {
  stack = await startGatewayStack({ models: "echo" });
  const [yes, no] = await Promise.all([createUnlimitedTenant("echo-yes"), createUnlimitedTenant("echo-no")]);
  grantedTenantId = yes.id;
  // Granted before the gateway first looks the tenant up (it caches grants for 10 s).
  await db.$transaction((tx) => setModelAccess({ tenant: yes.id, model: "echo", enabled: true }, testContext, tx));
  const client = async (tenantId: string) =>
    new OpenAI({ apiKey: (await createTestKey({ tenantId })).secret, baseURL: `${stack.url}/v1`, maxRetries: 0 });
  [granted, ungranted] = await Promise.all([client(yes.id), client(no.id)]);
}, 120_000);

afterAll(async () => {
  await stack.close();
});

const messages = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Let there be light" },
] as const;

describe("the echo model", () => {
  it("is hidden from and refused to a tenant an operator has not granted it", async () => {
    const listed = (await ungranted.models.list()).data.map((model) => model.id);
    expect(listed).not.toContain("echo");
    await expect(ungranted.chat.completions.create({ model: "echo", messages: [...messages] })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    expect((await granted.models.list()).data.map((model) => model.id)).toContain("echo");
  });

  it("answers a chat with its last user message, queued, priced at 0 and recorded", async () => {
    const { data, response } = await granted.chat.completions
      .create({ model: "echo", messages: [...messages] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("Let there be light");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 4 });
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(await usageOf(requestId)).toMatchObject({ status: "succeeded", inputTokens: 8, outputTokens: 4 });
    const charge = await db.ledgerEntry.findUniqueOrThrow({ where: { requestId } });
    expect(charge).toMatchObject({ tenantId: grantedTenantId, kind: "usage", amountMicros: 0n });

    const cut = await granted.completions.create({ model: "echo", prompt: "one two three four", max_tokens: 2 });
    expect(cut.choices[0]).toMatchObject({ text: "one two ", finish_reason: "length" });
  });

  it("streams the echo word by word", async () => {
    const stream = await granted.chat.completions.create({ model: "echo", messages: [...messages], stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) deltas.push(content);
    }
    expect(deltas).toEqual(["Let ", "there ", "be ", "light"]);
  });

  it("embeds the same text as the same vector, and reads back an image", async () => {
    const embedded = await granted.embeddings.create({
      model: "echo",
      input: ["alpha", "alpha", "omega"],
      encoding_format: "float",
    });
    const [a, b, c] = embedded.data.map((row) => row.embedding);
    expect(a).toHaveLength(16);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);

    const png = await helloWorldPng();
    const response = await fetch(`${stack.url}/v1/ocr`, {
      method: "POST",
      headers: { authorization: `Bearer ${granted.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "echo", image: png.toString("base64") }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; width: number };
    expect(body.text).toMatch(/^png \d+x\d+ sha256:[0-9a-f]{16}$/);
    expect(body.text).toContain(`${body.width}x`);
  });

  it("is held to the key's limits like any model", async () => {
    const limited = new OpenAI({
      apiKey: (await createTestKey({ tenantId: grantedTenantId, limits: { rpm: 2 } })).secret,
      baseURL: `${stack.url}/v1`,
      maxRetries: 0,
    });
    const ask = () => limited.chat.completions.create({ model: "echo", messages: [...messages] });
    await ask();
    await ask();
    await expect(ask()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });
});
