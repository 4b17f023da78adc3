import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, newId } from "@aiaas/core/platform";
import { QuotaGate, tenantLimits, type QuotaScope } from "@aiaas/core/quota";
import { testDb, testRedisUrl } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "stream-settlement-test");
const STREAMS = 1000;
let stack: GatewayStack;

beforeAll(async () => {
  stack = await startGatewayStack({ models: "kjv-gpt-mini", workerEnv: { WORKER_CONCURRENCY: "64" } });
}, 120_000);
afterAll(async () => {
  await stack.close();
  redis.disconnect();
});

/** Opens a stream, reads its first content chunk, and hangs up. */
async function cutStream(url: string, secret: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    signal: controller.signal,
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "kjv-gpt-mini",
      messages: [{ role: "user", content: "And it came to pass" }],
      max_tokens: 200,
      stream: true,
    }),
  });
  if (response.status !== 200) return response.status;
  const reader = response.body?.getReader();
  await reader?.read();
  await reader?.read();
  controller.abort();
  return 200;
}

describe("streams cut by the client", () => {
  it(`settles or releases every reservation of ${STREAMS} cut streams, billing what was generated`, async () => {
    const tenant = await createUnlimitedTenant("cut");
    await db.quotaOverride.create({
      data: {
        id: newId("quotaOverride"),
        tenantId: tenant.id,
        limitTpm: 100_000_000,
        limitBudgetMicros: 10n ** 12n,
        limitBudgetPeriod: "month",
      },
    });
    const key = await createTestKey({ tenantId: tenant.id });
    const statuses = await Promise.all(Array.from({ length: STREAMS }, () => cutStream(stack.url, key.secret)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(STREAMS);

    const row = await db.tenant.findUniqueOrThrow({
      where: { id: tenant.id },
      include: { plan: true, quotaOverride: true },
    });
    const scope: QuotaScope = {
      kind: "tenant",
      id: tenant.id,
      tenantId: tenant.id,
      limits: tenantLimits(row.plan, row.quotaOverride),
    };
    const gate = new QuotaGate(redis, stack.prefix);
    const deadline = Date.now() + 60_000;
    let usage = await db.usageEvent.findMany({ where: { tenantId: tenant.id } });
    let use = (await gate.usage([scope]))[0];
    while ((usage.length < STREAMS || (use?.inFlight ?? 1) > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      usage = await db.usageEvent.findMany({ where: { tenantId: tenant.id } });
      use = (await gate.usage([scope]))[0];
    }
    // Within 60 s every request is recorded and nothing is in flight or reserved beyond what was used.
    expect(usage).toHaveLength(STREAMS);
    expect(use?.inFlight).toBe(0);
    const tokens = usage.reduce((sum, event) => sum + event.inputTokens + event.outputTokens, 0);
    const cost = usage.reduce((sum, event) => sum + event.costMicros, 0n);
    expect(use?.tokens).toBe(tokens);
    expect(use?.budgetUsedMicros).toBe(cost);
    // Cut early: most were cancelled with fewer tokens than they asked for.
    const cancelled = usage.filter((event) => event.status === "cancelled");
    expect(cancelled.length).toBeGreaterThan(STREAMS / 2);
    expect(cancelled.every((event) => event.outputTokens < 200)).toBe(true);
  }, 180_000);
});
