import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

let stack: GatewayStack;
let secret: string;

beforeAll(async () => {
  stack = await startGatewayStack();
  const tenant = await createUnlimitedTenant("fuzz");
  ({ secret } = await createTestKey({ tenantId: tenant.id }));
}, 120_000);
afterAll(async () => {
  await stack.close();
});

const valid: Record<string, Record<string, unknown>> = {
  "/v1/chat/completions": { model: "kjv-gpt-mini", messages: [{ role: "user", content: "And" }], max_tokens: 2 },
  "/v1/completions": { model: "kjv-gpt-mini", prompt: "And", max_tokens: 2 },
  "/v1/embeddings": { model: "kjv-embed-mini", input: "And" },
  "/v1/ocr": {
    model: "paddleocr-v4",
    image: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  },
  "/v1/generate": { model: "kjv-gpt-mini", prompt: "And", max_tokens: 2 },
};
const endpoints = Object.keys(valid);

interface Sent {
  status: number;
  body: string;
}

async function send(path: string, body: string | Blob | FormData, contentType?: string): Promise<Sent> {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
  if (contentType) headers["content-type"] = contentType;
  const response = await fetch(`${stack.url}${path}`, { method: "POST", headers, body });
  return { status: response.status, body: await response.text() };
}

/** Announces a body too large to accept and sends its start: the answer comes before the rest would. */
function sendHuge(path: string, bytes: number): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "content-length": bytes },
    });
    req.on("response", (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body: text });
        req.destroy();
      });
    });
    req.on("error", reject);
    req.write(`{"model":"x","prompt":"${"x".repeat(64 * 1024)}`);
  });
}

/** A refusal is a 4xx in OpenAI's error shape; a success is a 200. Never a 5xx. */
function expectWellFormed({ status, body }: Sent, what: string) {
  expect(status, `${what} -> ${status} ${body.slice(0, 300)}`).toBeLessThan(500);
  if (status === 200) return;
  expect(status, what).toBeGreaterThanOrEqual(400);
  const parsed = JSON.parse(body) as { error?: Record<string, unknown> };
  expect(typeof parsed.error?.message, what).toBe("string");
  expect(typeof parsed.error?.type, what).toBe("string");
  expect(Object.keys(parsed.error ?? {}).sort(), what).toEqual(["code", "message", "param", "type"]);
}

/** A valid body with one field replaced, removed, or an unknown one added. */
const mutatedBody = (path: string) => {
  const base = valid[path] ?? {};
  const fields = [
    ...Object.keys(base),
    "stream",
    "temperature",
    "top_p",
    "stop",
    "n",
    "seed",
    "dimensions",
    "encoding_format",
    "stream_options",
    "unknown_field",
  ];
  return fc.oneof(
    fc
      .record({ field: fc.constantFrom(...fields), value: fc.jsonValue({ maxDepth: 3 }) })
      .map(({ field, value }) => ({ ...base, [field]: value })),
    fc
      .constantFrom(...Object.keys(base))
      .map((field) => Object.fromEntries(Object.entries(base).filter(([key]) => key !== field))),
    fc.jsonValue({ maxDepth: 3 }),
  );
};

describe("fuzzing every endpoint", () => {
  it("answers mutated JSON bodies with 200 or an OpenAI-shaped 4xx", async () => {
    for (const path of endpoints) {
      await fc.assert(
        fc.asyncProperty(mutatedBody(path), async (body) => {
          expectWellFormed(
            await send(path, JSON.stringify(body), "application/json"),
            `${path} ${JSON.stringify(body)}`,
          );
        }),
        { numRuns: 40, seed: 5 },
      );
    }
  }, 240_000);

  it("answers malformed bytes, wrong content types and empty bodies with a 4xx", async () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.constantFrom("{", "[1,", '{"model":', "null", "\u0000", "{}{}"),
    );
    const contentType = fc.constantFrom(
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "multipart/form-data",
      "image/png",
      "application/json; charset=latin1",
      undefined,
    );
    for (const path of endpoints) {
      await fc.assert(
        fc.asyncProperty(garbage, contentType, async (body, type) => {
          const sent = await send(path, body, type);
          expectWellFormed(sent, `${path} ${type} ${JSON.stringify(body)}`);
          expect(sent.status, `${path} ${type} ${JSON.stringify(body)}`).not.toBe(200);
        }),
        { numRuns: 25, seed: 7 },
      );
    }
  }, 240_000);

  it("refuses huge inputs and bad images with a clear 4xx", async () => {
    for (const path of endpoints) {
      const sent = await sendHuge(path, 17 * 1024 * 1024);
      expectWellFormed(sent, `${path} huge`);
      expect(sent.status).toBe(413);
    }
    const manyInputs = await send(
      "/v1/embeddings",
      JSON.stringify({ model: "kjv-embed-mini", input: Array(3000).fill("a") }),
      "application/json",
    );
    expect(manyInputs.status).toBe(400);
    for (const image of ["not base64!", "====", "aGVsbG8gd29ybGQ=", "", "data:image/png;base64,@@@"]) {
      const sent = await send("/v1/ocr", JSON.stringify({ model: "paddleocr-v4", image }), "application/json");
      expectWellFormed(sent, `ocr ${image}`);
      expect(sent.status).toBe(400);
    }
    // A PNG signature with nothing after it is refused at the gateway (its header has no size) ...
    const truncated = await send(
      "/v1/ocr",
      JSON.stringify({ model: "paddleocr-v4", image: "iVBORw0KGgo=" }),
      "application/json",
    );
    expect(truncated.status).toBe(400);
    expect(truncated.body).toMatch(/its header is damaged/);
    // ... a sound header over pixels that do not decode reaches the worker, which refuses it: still a 400.
    const png = Buffer.from(String(valid["/v1/ocr"]?.image), "base64");
    const garbled = Buffer.concat([png.subarray(0, 33), Buffer.alloc(png.length - 33, 0x5a)]).toString("base64");
    const undecodable = await send(
      "/v1/ocr",
      JSON.stringify({ model: "paddleocr-v4", image: garbled }),
      "application/json",
    );
    expectWellFormed(undecodable, "ocr garbled pixels");
    expect(undecodable.status).toBe(400);
    const form = new FormData();
    form.set("model", "paddleocr-v4");
    form.set("file", new Blob(["not an image"], { type: "image/png" }), "x.png");
    const multipart = await send("/v1/ocr", form);
    expectWellFormed(multipart, "multipart not an image");
    expect(multipart.status).toBe(400);
  }, 120_000);

  it("is still up afterwards", async () => {
    expect(stack.gateway.child.exitCode).toBeNull();
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    expect(stack.gateway.logs.join("")).not.toMatch(/"level":50.*request failed/);
  });
});
