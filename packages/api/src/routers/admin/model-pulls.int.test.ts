import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startAppProcess,
  startLocalHub,
  startTestVerifier,
  testDb,
  testRedisUrl,
  type AppProcess,
  type LocalHub,
} from "@aiaas/core/testing";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { callerFor } from "../../testing/api-caller.ts";

/** transformers' own tiny Qwen2 export, as a hub has it (no manifest of ours). */
const fixture = fileURLToPath(new URL("../../../../inference/test-fixtures/hf-tiny/tiny-qwen2", import.meta.url));
const db = testDb();
const prefix = `pull${randomBytes(4).toString("hex")}`;
let redis: Redis;
let close: () => void;
let hub: LocalHub;
let work: string;
let worker: AppProcess;

beforeAll(async () => {
  ({ redis, close } = await startTestVerifier("model-pulls-test"));
  work = await mkdtemp(join(tmpdir(), "admin-pull-"));
  await cp(fixture, join(work, "published"), { recursive: true });
  await rm(join(work, "published", "aiaas.json"));
  hub = await startLocalHub({ "acme/Tiny-Qwen2": join(work, "published") });
  // A worker of its own, on queues of its own: it has the model store and the hub.
  worker = await startAppProcess("worker", {
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    MASTER_KEYS: `${prefix}:${randomBytes(32).toString("base64")}`,
    QUEUE_PREFIX: prefix,
    WORKER_ID: `${prefix}-worker`,
    WORKER_MODELS: "echo",
    MODEL_STORE: join(work, "store"),
    HF_ENDPOINT: hub.url,
  });
}, 120_000);

afterAll(async () => {
  worker?.kill("SIGTERM");
  await worker?.exited;
  await hub?.close();
  close();
  await rm(work, { recursive: true, force: true });
});

describe("pulling a model from the operator area", () => {
  it("has a worker pull it from its hub, register it as the operator who asked, and shows how it went", async () => {
    const { caller: operator } = await callerFor(redis, { platformRole: "operator", queuePrefix: prefix });
    const id = `admin-qwen-${randomBytes(3).toString("hex")}`;
    const { id: pullId } = await operator.admin.pullModel({
      hubId: "acme/Tiny-Qwen2",
      id,
      prices: { input: "1000" },
    });
    await expect
      .poll(async () => (await operator.admin.modelPulls()).find((pull) => pull.id === pullId)?.state, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe("completed");
    const pull = (await operator.admin.modelPulls()).find((row) => row.id === pullId);
    expect(pull).toMatchObject({
      hubId: "acme/Tiny-Qwen2",
      revision: "main",
      result: { slug: id, outcome: "new-model", aliases: ["default"] },
      progress: { stage: "check" },
      failure: null,
    });
    expect(pull?.progress?.total).toBeGreaterThan(0);
    expect(hub.requests).toContain("/acme/Tiny-Qwen2/resolve/main/onnx/model.onnx");
    const model = await db.model.findUniqueOrThrow({ where: { slug: id }, include: { prices: true, versions: true } });
    expect(model.prices.map((price) => price.inputMicrosPer1k)).toEqual([1_000n]);
    expect(model.versions[0]?.source).toBe(`${hub.url}/acme/Tiny-Qwen2@main`);
    // The ask and the registration, each audited as the operator.
    const asked = await db.auditEvent.findFirstOrThrow({ where: { action: "model.pull", targetId: pullId } });
    const registered = await db.auditEvent.findFirstOrThrow({
      where: { action: "model.register", metadata: { path: ["model"], equals: id } },
    });
    expect([asked.actorType, registered.actorType]).toEqual(["operator", "operator"]);
    expect(registered.actorId).toBe(asked.actorId);
  }, 90_000);

  it("says why a pull failed, and takes hub ids only: no URL, no path", async () => {
    const { caller: operator } = await callerFor(redis, { platformRole: "operator", queuePrefix: prefix });
    const { id: pullId } = await operator.admin.pullModel({ hubId: "acme/Nothing-Here" });
    await expect
      .poll(async () => (await operator.admin.modelPulls()).find((pull) => pull.id === pullId)?.state, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe("failed");
    const failed = (await operator.admin.modelPulls()).find((pull) => pull.id === pullId);
    expect(failed?.failure).toMatch(/acme\/Nothing-Here/);
    for (const hubId of ["http://169.254.169.254/latest", "../../etc", "/etc/passwd", "apps/worker/../../x", "a b/c"])
      await expect(operator.admin.pullModel({ hubId }), hubId).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(operator.admin.pullModel({ hubId: "acme/x", revision: "../../main" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const { caller: customer } = await callerFor(redis, { queuePrefix: prefix });
    await expect(customer.admin.pullModel({ hubId: "acme/Tiny-Qwen2" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  }, 60_000);
});
