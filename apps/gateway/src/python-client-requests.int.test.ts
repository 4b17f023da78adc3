import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responseSchemas } from "./openapi/response-schemas.ts";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

/**
 * The Python `openai` client is not packaged by Debian (and PyPI cannot be
 * reached from here), so its requests are replayed as it sends them
 * (openai-python 1.x, `_base_client.py` and the resources): its headers, its
 * JSON bodies with only the arguments given, `encoding_format: "base64"`
 * added to embeddings when the caller gives none, files as multipart with
 * `purpose` before `file`. The answers are checked against the shapes its
 * pydantic models read.
 */
let stack: GatewayStack;
let secret: string;

const pythonHeaders = (key: string) => ({
  Accept: "application/json",
  Authorization: `Bearer ${key}`,
  "User-Agent": "OpenAI/Python 1.99.9",
  "X-Stainless-Lang": "python",
  "X-Stainless-Package-Version": "1.99.9",
  "X-Stainless-OS": "Linux",
  "X-Stainless-Arch": "x64",
  "X-Stainless-Runtime": "CPython",
  "X-Stainless-Runtime-Version": "3.11.2",
  "X-Stainless-Async": "false",
  "X-Stainless-Retry-Count": "0",
  "X-Stainless-Read-Timeout": "600",
});

const post = (path: string, body: unknown) =>
  fetch(`${stack.url}/v1${path}`, {
    method: "POST",
    headers: { ...pythonHeaders(secret), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  stack = await startGatewayStack({ models: "kjv-gpt-mini,kjv-embed-mini" });
  const tenant = await createUnlimitedTenant("python");
  ({ secret } = await createTestKey({ tenantId: tenant.id }));
}, 120_000);

afterAll(async () => {
  await stack.close();
});

describe("the requests of the Python openai client", () => {
  it("client.models.list()", async () => {
    const response = await fetch(`${stack.url}/v1/models`, { headers: pythonHeaders(secret) });
    expect(response.status).toBe(200);
    responseSchemas.ModelList.parse(await response.json());
  });

  it("client.chat.completions.create(model=…, messages=…, max_tokens=8, n=2, logprobs=True)", async () => {
    const response = await post("/chat/completions", {
      messages: [{ role: "user", content: "And God said" }],
      model: "kjv-gpt-mini",
      max_tokens: 8,
      n: 2,
      logprobs: true,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const body = responseSchemas.ChatCompletion.parse(await response.json());
    expect(body.choices).toHaveLength(2);
  });

  it("client.chat.completions.create(…, stream=True, stream_options={'include_usage': True})", async () => {
    const response = await post("/chat/completions", {
      messages: [{ role: "user", content: "And God said" }],
      model: "kjv-gpt-mini",
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = (await response.text()).split("\n\n").filter((event) => event.startsWith("data: "));
    expect(events.at(-1)).toBe("data: [DONE]");
    const last = JSON.parse(events.at(-2)?.slice("data: ".length) ?? "{}") as { usage?: { total_tokens: number } };
    expect(last.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("client.embeddings.create(model=…, input=[…]): base64 added by the client", async () => {
    const response = await post("/embeddings", {
      input: ["In the beginning"],
      model: "kjv-embed-mini",
      encoding_format: "base64",
    });
    const body = responseSchemas.EmbeddingList.parse(await response.json());
    const [first] = body.data;
    expect(typeof first?.embedding).toBe("string");
    expect(Buffer.from(String(first?.embedding), "base64").byteLength).toBe(128 * 4);
  });

  it("client.completions.create(model=…, prompt=…, logprobs=2)", async () => {
    const response = await post("/completions", {
      model: "kjv-gpt-mini",
      prompt: "In the beginning",
      max_tokens: 4,
      logprobs: 2,
    });
    const body = responseSchemas.Completion.parse(await response.json());
    expect(body.choices[0]?.logprobs?.tokens.join("")).toBe(body.choices[0]?.text);
  });

  it("client.files.create(file=open(…, 'rb'), purpose='batch'), then client.batches.create(…)", async () => {
    const form = new FormData();
    form.append("purpose", "batch");
    const line = {
      custom_id: "p1",
      method: "POST",
      url: "/v1/embeddings",
      body: { model: "kjv-embed-mini", input: "x" },
    };
    form.append("file", new Blob([`${JSON.stringify(line)}\n`], { type: "application/octet-stream" }), "batch.jsonl");
    const uploaded = await fetch(`${stack.url}/v1/files`, {
      method: "POST",
      headers: pythonHeaders(secret),
      body: form,
    });
    expect(uploaded.status).toBe(200);
    const file = responseSchemas.File.parse(await uploaded.json());
    const batch = await post("/batches", {
      completion_window: "24h",
      endpoint: "/v1/embeddings",
      input_file_id: file.id,
    });
    expect(batch.status).toBe(200);
    responseSchemas.Batch.parse(await batch.json());
  });

  it("an error the client raises as BadRequestError: OpenAI's error body", async () => {
    const response = await post("/chat/completions", { messages: [], model: "kjv-gpt-mini" });
    expect(response.status).toBe(400);
    const { error } = responseSchemas.Error.parse(await response.json());
    expect(error.param).toBe("messages");
  });
});
