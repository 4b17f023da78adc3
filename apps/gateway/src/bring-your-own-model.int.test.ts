import { randomBytes } from "node:crypto";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aiaas,
  startAppProcess,
  startLocalHub,
  testDb,
  testRedisUrl,
  type AppProcess,
  type LocalHub,
} from "@aiaas/core/testing";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

/** A real Hugging Face export (transformers' own, random weights), as the hub has it: no manifest of ours. */
const fixture = fileURLToPath(new URL("../../../packages/inference/test-fixtures/hf-tiny/tiny-qwen2", import.meta.url));

let work: string;
let hub: LocalHub;
let stack: GatewayStack;
let worker: AppProcess | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "byo-model-"));
  const published = join(work, "published");
  await cp(fixture, published, { recursive: true });
  await rm(join(published, "aiaas.json"));
  hub = await startLocalHub({ "acme/Tiny-Qwen2": published });
  // The gateway runs from before the model exists until after it answers: never restarted.
  stack = await startGatewayStack({ models: "echo" });
}, 120_000);

afterAll(async () => {
  worker?.kill("SIGTERM");
  await worker?.exited;
  await stack?.close();
  await hub?.close();
  await rm(work, { recursive: true, force: true });
});

describe("bringing a model of one's own", () => {
  it("pulls it from a hub, registers it, and answers through the running gateway once a worker serves it", async () => {
    const id = `tiny-qwen2-${randomBytes(3).toString("hex")}`;
    const store = join(work, "store");
    const env = { HF_ENDPOINT: hub.url, MODEL_STORE: store };
    const pulled = await aiaas(
      ["models", "pull", "acme/Tiny-Qwen2", "--id", id, "--input-per-1k", "0.001", "--json"],
      env,
    );
    expect(pulled).toMatchObject({ code: 0 });
    const registered = JSON.parse(pulled.stdout) as {
      slug: string;
      version: string;
      outcome: string;
      aliases: string[];
    };
    expect(registered).toMatchObject({
      slug: id,
      outcome: "new-model",
      aliases: ["default"],
      version: expect.stringMatching(/^sha-[0-9a-f]{12}$/) as unknown,
    });
    expect(hub.requests).toContain("/acme/Tiny-Qwen2/resolve/main/onnx/model.onnx");
    // Staged while it downloads, then kept beside the model's other versions.
    expect(await readdir(store)).toContain(`${id}@${registered.version}`);
    expect(await readdir(join(store, ".pulls"))).toEqual([]);

    // The catalogue has the model, its version with every file's digest, and its price.
    const shown = JSON.parse((await aiaas(["models", "show", id, "--json"])).stdout) as {
      task: string;
      aliases: { name: string; version: string }[];
      versions: { source: string; files: { path: string; sha256: string }[] }[];
    };
    const graph = createHash("sha256")
      .update(await readFile(join(fixture, "onnx/model.onnx")))
      .digest("hex");
    expect(shown).toMatchObject({ task: "chat", aliases: [{ name: id, version: registered.version }] });
    expect(shown.versions[0]?.source).toBe(`${hub.url}/acme/Tiny-Qwen2@main`);
    expect(shown.versions[0]?.files).toContainEqual(
      expect.objectContaining({ path: "onnx/model.onnx", sha256: graph }),
    );
    const model = await testDb().model.findUniqueOrThrow({ where: { slug: id }, include: { prices: true } });
    expect(model.prices.map((price) => price.inputMicrosPer1k)).toEqual([1_000n]);

    // The same files again change nothing.
    const again = JSON.parse(
      (await aiaas(["models", "pull", "acme/Tiny-Qwen2", "--id", id, "--json"], env)).stdout,
    ) as {
      outcome: string;
    };
    expect(again.outcome).toBe("unchanged");

    worker = await startAppProcess("worker", {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      MASTER_KEYS: stack.masterKeys,
      QUEUE_PREFIX: stack.prefix,
      WORKER_ID: `${stack.prefix}-byo`,
      WORKER_MODELS: id,
      MODEL_STORE: store,
      INFERENCE_THREADS: "1",
    });
    const tenant = await createUnlimitedTenant("byo");
    const { secret } = await createTestKey({ tenantId: tenant.id });
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const ask = () =>
      fetch(`${stack.url}/v1/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          model: id,
          messages: [{ role: "user", content: "Let there be light" }],
          max_tokens: 4,
          temperature: 0,
        }),
      });
    // Gateways read the catalogue every few seconds.
    let answer = await ask();
    for (let tries = 0; answer.status !== 200 && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await ask();
    }
    const body = (await answer.json()) as {
      model: string;
      choices: { message: { content: string } }[];
      usage: { completion_tokens: number };
    };
    expect(answer.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ model: id, usage: { completion_tokens: 4 } });
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
    const listed = (await (await fetch(`${stack.url}/v1/models`, { headers })).json()) as { data: { id: string }[] };
    expect(listed.data.map((entry) => entry.id)).toContain(id);
    expect(stack.gateway.child.exitCode).toBeNull();

    // Retired: the gateway stops offering it within its refresh.
    expect((await aiaas(["models", "retire", id])).code).toBe(0);
    await expect.poll(async () => (await ask()).status, { timeout: 20_000, interval: 500 }).toBe(404);
  }, 180_000);
});
