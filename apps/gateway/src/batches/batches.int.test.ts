import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@aiaas/core/testing";
import { usageOf } from "../testing/usage-of.ts";
import { responseSchemas } from "../openapi/response-schemas.ts";
import {
  createTestKey,
  createUnlimitedTenant,
  startGatewayStack,
  type GatewayStack,
} from "../testing/gateway-stack.ts";

let stack: GatewayStack;
let client: OpenAI;
let tenantId: string;

beforeAll(async () => {
  stack = await startGatewayStack({
    models: "kjv-gpt-mini,kjv-embed-mini",
    gatewayEnv: { GATEWAY_BATCH_CONCURRENCY: "8", GATEWAY_FILES_PER_TENANT: "8" },
  });
  const tenant = await createUnlimitedTenant("batches");
  tenantId = tenant.id;
  const { secret } = await createTestKey({ tenantId });
  client = new OpenAI({ apiKey: secret, baseURL: `${stack.url}/v1`, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await stack.close();
});

const jsonl = (lines: unknown[]) => lines.map((line) => JSON.stringify(line)).join("\n");
const upload = async (text: string, name = "input.jsonl") =>
  client.files.create({ file: await toFile(Buffer.from(text), name), purpose: "batch" });

async function finished(id: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await client.batches.retrieve(id);
    if (["completed", "failed", "expired", "cancelled"].includes(batch.status)) return batch;
    if (Date.now() > deadline) throw new Error(`batch still ${batch.status}: ${JSON.stringify(batch.request_counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const linesOf = async (fileId: string | null | undefined) =>
  fileId
    ? (await (await client.files.content(fileId)).text())
        .trim()
        .split("\n")
        .map(
          (line) =>
            JSON.parse(line) as {
              custom_id: string;
              response: {
                status_code: number;
                request_id: string;
                body: { object?: string; error?: { param?: string } };
              };
            },
        )
    : [];

describe("the Files API", () => {
  it("uploads, lists, retrieves, reads back and deletes a file; its bytes are sealed at rest", async () => {
    const text = jsonl([
      {
        custom_id: "a",
        method: "POST",
        url: "/v1/embeddings",
        body: { model: "kjv-embed-mini", input: "In the beginning" },
      },
    ]);
    const file = await upload(text, "mine.jsonl");
    expect(file).toMatchObject({
      object: "file",
      purpose: "batch",
      filename: "mine.jsonl",
      bytes: text.length,
      status: "processed",
    });
    expect(file.id).toMatch(/^file-[0-9a-f]{24}$/);
    responseSchemas.File.parse(file);
    responseSchemas.FileList.parse(await client.get("/files"));
    expect((await client.files.list()).data.map((f) => f.id)).toContain(file.id);
    expect((await client.files.retrieve(file.id)).bytes).toBe(text.length);
    expect(await (await client.files.content(file.id)).text()).toBe(text);
    const stored = await testDb().file.findUniqueOrThrow({ where: { id: file.id } });
    expect(Buffer.from(stored.content).includes(Buffer.from("In the beginning"))).toBe(false);
    expect(await client.files.delete(file.id)).toMatchObject({ id: file.id, deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toMatchObject({ status: 404 });
  });

  it("refuses what it cannot take, saying why", async () => {
    await expect(
      client.files.create({ file: await toFile(Buffer.from("x"), "a.jsonl"), purpose: "fine-tune" }),
    ).rejects.toMatchObject({ status: 400, param: "purpose" });
    const other = await createUnlimitedTenant("other-files");
    const { secret } = await createTestKey({ tenantId: other.id });
    const stranger = new OpenAI({ apiKey: secret, baseURL: `${stack.url}/v1`, maxRetries: 0 });
    const mine = await upload("{}\n");
    await expect(stranger.files.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(stranger.files.content(mine.id)).rejects.toMatchObject({ status: 404 });
    await client.files.delete(mine.id);
  });
});

describe("the Batches API", () => {
  it("runs a batch: every custom_id answered once, bad lines in the error file, usage at the batch price", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({
      custom_id: `line-${i}`,
      method: "POST",
      url: "/v1/chat/completions",
      body:
        i % 10 === 9
          ? { model: "kjv-gpt-mini", messages: [{ role: "user", content: "x" }], temperature: 7 }
          : { model: "kjv-gpt-mini", messages: [{ role: "user", content: `Verse ${i}` }], max_tokens: 6, seed: i },
    }));
    const input = await upload(jsonl(lines));
    const created = await client.batches.create({
      input_file_id: input.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { job: "nightly" },
    });
    expect(created).toMatchObject({ object: "batch", status: "validating", metadata: { job: "nightly" } });
    expect(created.id).toMatch(/^batch_[0-9a-f]{24}$/);
    const batch = await finished(created.id);
    expect(batch.status).toBe("completed");
    responseSchemas.Batch.parse(batch);
    responseSchemas.BatchList.parse(await client.get("/batches"));
    expect(batch.request_counts).toEqual({ total: 40, completed: 36, failed: 4 });
    const output = await linesOf(batch.output_file_id);
    const errors = await linesOf(batch.error_file_id);
    expect([...output, ...errors].map((line) => line.custom_id).sort()).toEqual(lines.map((l) => l.custom_id).sort());
    expect(
      errors.every((line) => line.response.status_code === 400 && line.response.body.error?.param === "temperature"),
    ).toBe(true);
    for (const line of output) expect(line.response.body.object).toBe("chat.completion");
    // Each answered line is a request of its own, billed once at half its price.
    for (const line of output) {
      const usage = await usageOf(line.response.request_id);
      expect(usage.status).toBe("succeeded");
      // The ledger names the price version; the charge is its batch percentage of the list price.
      const ledger = await testDb().ledgerEntry.findFirstOrThrow({ where: { requestId: line.response.request_id } });
      const price = await testDb().modelPrice.findUniqueOrThrow({ where: { id: ledger.modelPriceId ?? "" } });
      const list =
        (BigInt(usage.inputTokens) * price.inputMicrosPer1k +
          BigInt(usage.outputTokens) * price.outputMicrosPer1k +
          999n) /
        1000n;
      expect(usage.costMicros).toBe((list * BigInt(price.batchPercent)) / 100n);
      expect(ledger.amountMicros).toBe(usage.costMicros);
    }
  }, 120_000);

  it("fails a batch whose file is not a batch (naming each line), and refuses what does not exist", async () => {
    const input = await upload(
      ["not json", JSON.stringify({ custom_id: "x", method: "GET", url: "/v1/embeddings", body: {} })].join("\n"),
    );
    const batch = await finished(
      (await client.batches.create({ input_file_id: input.id, endpoint: "/v1/embeddings", completion_window: "24h" }))
        .id,
    );
    expect(batch.status).toBe("failed");
    responseSchemas.Batch.parse(batch);
    expect(batch.errors?.data?.map((error) => [error.code, error.line])).toEqual([
      ["invalid_json_line", 1],
      ["invalid_method", 2],
    ]);
    await expect(client.batches.retrieve("batch_nope")).rejects.toMatchObject({ status: 404 });
    await expect(
      client.batches.create({ input_file_id: "file-nope", endpoint: "/v1/embeddings", completion_window: "24h" }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("cancels: what ran is kept, the rest never runs", async () => {
    const lines = Array.from({ length: 400 }, (_, i) => ({
      custom_id: `c${i}`,
      method: "POST",
      url: "/v1/embeddings",
      body: { model: "kjv-embed-mini", input: `And it came to pass ${i}` },
    }));
    const input = await upload(jsonl(lines));
    const created = await client.batches.create({
      input_file_id: input.id,
      endpoint: "/v1/embeddings",
      completion_window: "24h",
    });
    while ((await client.batches.retrieve(created.id)).request_counts?.completed === 0)
      await new Promise((r) => setTimeout(r, 50));
    const cancelling = await client.batches.cancel(created.id);
    expect(["cancelling", "cancelled"]).toContain(cancelling.status);
    const batch = await finished(created.id);
    expect(batch.status).toBe("cancelled");
    const done = batch.request_counts?.completed ?? 0;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(400);
    expect(await linesOf(batch.output_file_id)).toHaveLength(done);
    await expect(client.batches.cancel(created.id)).rejects.toMatchObject({ status: 409 });
    expect((await client.batches.list()).data.map((b) => b.id)).toContain(created.id);
  }, 120_000);
});
