import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { testRedisUrl } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const redis = createRedis(testRedisUrl(), "client", "stream-integrity-test");
let stack: GatewayStack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startGatewayStack({ models: "kjv-gpt-mini" });
  const tenant = await createUnlimitedTenant("stream-integrity");
  client = new OpenAI({
    apiKey: (await createTestKey({ tenantId: tenant.id })).secret,
    baseURL: `${stack.url}/v1`,
    maxRetries: 0,
  });
}, 120_000);
afterAll(async () => {
  await stack.close();
  redis.disconnect();
});

type Fields = string[];
const field = (fields: Fields, name: string) => fields[fields.indexOf(name) + 1];

/**
 * Whoever can write to Redis, while a streamed answer is being written: once
 * the request's stream holds a few deltas, appends what `tamper` makes of its
 * first delta (and the deltas so far).
 */
async function tamperWithNextStream(tamper: (first: Fields, stream: Fields[]) => Fields) {
  const streamKeys = () => redis.keys(`${stack.prefix}:tokens:*`);
  // The streams there are before it starts are not its target.
  const earlier = new Set(await streamKeys());
  return async () => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const key = (await streamKeys()).find((found) => !earlier.has(found));
      const entries = key ? (await redis.xrange(key, "-", "+")).map(([, fields]) => fields) : [];
      const texts = entries.filter((fields) => field(fields, "t") === "text");
      const [first] = texts;
      if (key && first && texts.length >= 3) {
        await redis.xadd(key, "*", ...tamper(first, texts));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error("no token stream appeared to tamper with");
  };
}

const request = { model: "kjv-gpt-mini", prompt: "And it came to pass", max_tokens: 200, temperature: 0 };

/** Streams a long completion while `tamper` alters its token stream; what reached the client, and how it ended. */
async function streamTamperedWith(tamper: (first: Fields, stream: Fields[]) => Fields) {
  const tampering = (await tamperWithNextStream(tamper))();
  let received = "";
  let failure: unknown;
  try {
    const stream = await client.completions.create({ ...request, stream: true });
    for await (const chunk of stream) received += chunk.choices[0]?.text ?? "";
  } catch (error) {
    failure = error;
  }
  await tampering;
  return { received, failure: failure as InstanceType<typeof OpenAI.APIError> };
}

/** The answer as it is when nobody tampers (the model is deterministic at temperature 0). */
const untouched = async () => (await client.completions.create(request)).choices[0]?.text ?? "";

describe("a streamed answer's token stream in Redis", () => {
  it("ends the stream with an error when a delta is replayed under the next number (it does not open there)", async () => {
    const { received, failure } = await streamTamperedWith((first, texts) =>
      first.map((value, i) => (first[i - 1] === "n" ? String(texts.length) : value)),
    );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure.code).toBe("stream_tampered");
    // What reached the client is the true answer's beginning: the replayed delta never did.
    expect((await untouched()).startsWith(received)).toBe(true);
    expect(stack.gateway.logs.join("")).toContain('"event":"stream_tampered"');
  });

  it("ends the stream with an error when a delta is replayed as it was (a repeat)", async () => {
    const { received, failure } = await streamTamperedWith((first) => first);
    expect(failure.code).toBe("stream_tampered");
    expect((await untouched()).startsWith(received)).toBe(true);
  });

  it("ends the stream with an error when an end is forged (the answer is not cut short without a word)", async () => {
    const { received, failure } = await streamTamperedWith(() => ["t", "end", "n", "0", "d", "", "a", "0"]);
    expect(failure.code).toBe("stream_tampered");
    expect((await untouched()).startsWith(received)).toBe(true);
  });

  it("streams an untouched answer whole", async () => {
    let streamed = "";
    for await (const chunk of await client.completions.create({ ...request, stream: true }))
      streamed += chunk.choices[0]?.text ?? "";
    expect(streamed).toBe(await untouched());
  });
});
