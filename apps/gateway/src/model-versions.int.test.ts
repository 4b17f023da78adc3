import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelZooFolders } from "@aiaas/model-zoo";
import { aiaas, testDb } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const db = testDb();
/** A model of this test's own (the shipped decoder and its int8 variant, under another id): promoting it moves no other test's traffic. */
const slug = `versions-${randomBytes(3).toString("hex")}`;
let work: string;
let stack: GatewayStack;
let headers: Record<string, string>;
let int8: { version: string; versionId: string };
let fp32: { version: string; versionId: string };

const cli = (args: string[]) => aiaas(args, { MODEL_STORE: join(work, "store"), QUEUE_PREFIX: stack.prefix });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "versions-"));
  await cp(modelZooFolders()["kjv-gpt-mini"] ?? "", join(work, "source"), { recursive: true });
  stack = await startGatewayStack({ models: "echo" });
  const prices = ["--input-per-1k", "0.00002", "--output-per-1k", "0.00006"];
  const pulled = await cli([
    "models",
    "pull",
    join(work, "source"),
    "--id",
    slug,
    "--version",
    "fp32",
    ...prices,
    "--json",
  ]);
  expect(pulled, pulled.stderr).toMatchObject({ code: 0 });
  const registered = JSON.parse(pulled.stdout) as typeof fp32 & { variants: (typeof int8 & { aliases: string[] })[] };
  fp32 = registered;
  const [variant] = registered.variants;
  if (!variant) throw new Error("the folder's int8 variant is registered with it");
  expect(variant.aliases).toEqual(["int8"]);
  int8 = variant;
  await stack.addWorker({ WORKER_MODELS: slug, MODEL_STORE: join(work, "store") });
  const tenant = await createUnlimitedTenant("versions");
  const { secret } = await createTestKey({ tenantId: tenant.id });
  headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await rm(work, { recursive: true, force: true });
});

const ask = (model: string) =>
  fetch(`${stack.url}/v1/chat/completions`, {
    method: "POST",
    headers,
    body: JSON.stringify({ model, messages: [{ role: "user", content: "In the beginning" }], max_tokens: 4 }),
  });

/** The requests' rows once their usage is written (in batches): the version each ran on, when it came in. */
async function recorded(ids: string[]) {
  await expect
    .poll(() => db.request.count({ where: { id: { in: ids } } }), { timeout: 10_000, interval: 100 })
    .toBe(ids.length);
  return db.request.findMany({
    where: { id: { in: ids } },
    select: { id: true, modelVersionId: true, createdAt: true, status: true },
    orderBy: { createdAt: "asc" },
  });
}

/** Requests to `model` from three clients at once, from before `during` runs until `afterMs` after it. */
async function traffic(model: string, during: () => Promise<void>, afterMs: number) {
  const answers: { status: number; id: string }[] = [];
  let stopped = false;
  const client = async () => {
    while (!stopped) {
      const response = await ask(model);
      answers.push({ status: response.status, id: response.headers.get("x-request-id") ?? "" });
      await response.arrayBuffer();
    }
  };
  const clients = [client(), client(), client()];
  await new Promise((resolve) => setTimeout(resolve, 500));
  await during();
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  stopped = true;
  await Promise.all(clients);
  return answers;
}

describe("versions and aliases", () => {
  it("offers the id and each alias, runs each name on its version, and bills a version at its own price", async () => {
    await expect
      .poll(
        async () => {
          const listed = (await (await fetch(`${stack.url}/v1/models`, { headers })).json()) as {
            data: { id: string }[];
          };
          return listed.data.map((entry) => entry.id).filter((id) => id.startsWith(slug));
        },
        { timeout: 10_000 },
      )
      .toEqual([slug, `${slug}:int8`]);
    // Each name says what it is, the version it answers with and its price (USD a token, OpenRouter's fields).
    const described = async (name: string) =>
      (await (await fetch(`${stack.url}/v1/models/${name}`, { headers })).json()) as Record<string, unknown>;
    expect(await described(slug)).toMatchObject({
      id: slug,
      object: "model",
      task: "chat",
      context_length: 256,
      version: fp32.version,
      pricing: { prompt: "0.00000002", completion: "0.00000006", image: "0" },
    });
    expect(await described(`${slug}:int8`)).toMatchObject({
      version: int8.version,
      pricing: { prompt: "0.00000001", completion: "0.00000003", image: "0" },
    });
    const answers = [];
    for (const name of [slug, `${slug}:int8`, `${slug}@${fp32.version}`, `${slug}@${int8.version}`]) {
      const response = await ask(name);
      const body = (await response.json()) as { model: string };
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body.model).toBe(name);
      answers.push(response.headers.get("x-request-id") ?? "");
    }
    const rows = await recorded(answers);
    const versionOf = new Map(rows.map((row) => [row.id, row.modelVersionId]));
    expect(answers.map((id) => versionOf.get(id))).toEqual([
      fp32.versionId,
      int8.versionId,
      fp32.versionId,
      int8.versionId,
    ]);
    // int8 has a price of its own (its manifest's: half the model's); the id, the model's.
    const charged = await db.ledgerEntry.findMany({
      where: { requestId: { in: answers } },
      select: { requestId: true, modelPrice: { select: { modelVersionId: true, outputMicrosPer1k: true } } },
    });
    const priceOf = new Map(charged.map((entry) => [entry.requestId, entry.modelPrice]));
    expect(priceOf.get(answers[0] ?? "")).toEqual({ modelVersionId: null, outputMicrosPer1k: 60n });
    expect(priceOf.get(answers[1] ?? "")).toEqual({ modelVersionId: int8.versionId, outputMicrosPer1k: 30n });

    for (const missing of [`${slug}:fp16`, `${slug}@v9`, `${slug}@`, `${slug}:int8@x`]) {
      const response = await ask(missing);
      expect(response.status, missing).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "model_not_found", param: "model" } });
    }
  }, 60_000);

  it("moves the id's traffic to a promoted version within seconds without an error, and back on rollback", async () => {
    for (const [to, from] of [
      [int8, fp32],
      [fp32, int8],
    ] as const) {
      const answers = await traffic(
        slug,
        async () => {
          const promoted = await cli(["models", "promote", slug, to.version]);
          expect(promoted.stdout, promoted.stderr).toContain(`${slug} now answers with version ${to.version}`);
        },
        4_000,
      );
      expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
      // When the alias moved: the promotion's commit.
      const { updatedAt: at } = await db.modelAlias.findFirstOrThrow({
        where: { model: { slug }, alias: "default" },
        select: { updatedAt: true },
      });
      const rows = await recorded(answers.map((answer) => answer.id));
      const before = rows.filter((row) => row.createdAt < at);
      const moved = rows.find((row) => row.modelVersionId === to.versionId);
      expect(before.length).toBeGreaterThan(0);
      expect(new Set(before.map((row) => row.modelVersionId))).toEqual(new Set([from.versionId]));
      if (!moved) throw new Error(`no request reached ${to.version}`);
      // The gateways read the catalogue every 2 s; from then on, every request runs on the promoted version.
      const switchMs = moved.createdAt.getTime() - at.getTime();
      expect(switchMs).toBeLessThan(3_000);
      expect(rows.filter((row) => row.createdAt > moved.createdAt).map((row) => row.modelVersionId)).not.toContain(
        from.versionId,
      );
      console.info(`promoted ${slug} to ${to.version}: ${rows.length} requests, traffic moved after ${switchMs} ms`);
    }
    const events = await db.auditEvent.findMany({
      where: { action: "model.promote", metadata: { path: ["model"], equals: slug } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((event) => event.metadata)).toMatchObject([
      { from: fp32.version, to: int8.version },
      { from: int8.version, to: fp32.version },
    ]);
  }, 60_000);
});
