import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FairShare,
  InferenceClient,
  TenantKeyring,
  createRedis,
  inferenceJobOptions,
  parseMasterKeys,
  payloadContext,
  sealJson,
  type InferenceJob,
} from "@aiaas/core/server";
import { testDb, testRedisUrl } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "fairness-test");
let stack: GatewayStack;
let client: InferenceClient;

beforeAll(async () => {
  // A tenant's wait under a flood is bounded by the jobs already running: keep the pool's slots few.
  stack = await startGatewayStack({ models: "kjv-embed-mini", workerEnv: { WORKER_CONCURRENCY: "8" } });
  client = new InferenceClient(redis, stack.prefix, new TenantKeyring(db, parseMasterKeys(stack.masterKeys)));
}, 120_000);
afterAll(async () => {
  await client.queue("kjv-embed-mini").obliterate({ force: true });
  await client.close();
  await stack.close();
  redis.disconnect();
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

describe("fair scheduling across tenants", () => {
  it("keeps tenant B's p50 within 2x of idle while tenant A floods the model with 10,000 jobs", async () => {
    const a = await createUnlimitedTenant("flood");
    const b = await createUnlimitedTenant("quiet");
    const { secret } = await createTestKey({ tenantId: b.id });
    const timeOne = async () => {
      const started = performance.now();
      const response = await fetch(`${stack.url}/v1/embeddings`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "kjv-embed-mini", input: "And the LORD spake unto Moses" }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    for (let i = 0; i < 10; i++) await timeOne();
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push(await timeOne());

    // A floods the queue as the gateway enqueues (sealed input, A's fair-share priority), faster than it drains.
    const fairShare = new FairShare(redis, stack.prefix);
    const keyring = new TenantKeyring(db, parseMasterKeys(stack.masterKeys));
    const jobs = await Promise.all(
      Array.from({ length: 10_000 }, async (_, i) => {
        const requestId = `req_flood${i}x${a.id.slice(4)}`;
        const input = await sealJson(keyring, a.id, payloadContext(requestId, "input"), { input: [`verse ${i}`] });
        const priority = await fairShare.enter("kjv-embed-mini", a.id);
        const data: InferenceJob = {
          v: 1,
          requestId,
          tenantId: a.id,
          model: "kjv-embed-mini",
          task: "embedding",
          input,
          enqueuedAt: Date.now(),
        };
        return { name: "embedding", data, opts: { ...inferenceJobOptions, jobId: requestId, priority } };
      }),
    );
    await client.queue("kjv-embed-mini").addBulk(jobs);
    const queue = client.queue("kjv-embed-mini");
    const backlog = await queue.getJobCounts("prioritized", "waiting", "active");
    expect((backlog.prioritized ?? 0) + (backlog.waiting ?? 0)).toBeGreaterThan(1000);

    const busy: number[] = [];
    for (let i = 0; i < 20; i++) busy.push(await timeOne());
    const stillQueued = await queue.getJobCounts("prioritized");
    // B was served while A's flood was still queued, and about as fast as on an idle queue.
    expect(stillQueued.prioritized ?? 0).toBeGreaterThan(0);
    const figures = `B's p50 idle ${median(idle).toFixed(1)} ms, during A's flood ${median(busy).toFixed(1)} ms`;
    expect(median(busy), figures).toBeLessThanOrEqual(2 * median(idle));
  }, 120_000);
});
