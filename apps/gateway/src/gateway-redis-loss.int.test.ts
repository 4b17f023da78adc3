import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, newId } from "@aiaas/core/platform";
import { QuotaGate } from "@aiaas/core/quota";
import { testDb } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";
import { startRedisServer, type RedisServer } from "./testing/redis-server.ts";

let redis: RedisServer;
let stack: GatewayStack;

beforeAll(async () => {
  // A Redis of this test's own, so that it can be killed (it keeps nothing on disk: its data is lost).
  redis = await startRedisServer();
  stack = await startGatewayStack({ models: "kjv-embed-mini", redisUrl: redis.url });
}, 120_000);
afterAll(async () => {
  await stack.close();
  await redis.kill();
});

describe("Redis lost under load", () => {
  it("refuses budget-bound requests with 503 while it is gone, never a 500, and recovers by itself", async () => {
    const db = testDb();
    const tenant = await createUnlimitedTenant("redisloss");
    await db.quotaOverride.create({
      data: {
        id: newId("quotaOverride"),
        tenantId: tenant.id,
        limitBudgetMicros: 10n ** 12n,
        limitBudgetPeriod: "month",
      },
    });
    const { secret } = await createTestKey({ tenantId: tenant.id });
    const statuses: { at: number; status: number; code?: string; requestId: string }[] = [];
    let phase = "before";
    const call = async () => {
      const response = await fetch(`${stack.url}/v1/embeddings`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "kjv-embed-mini", input: "And the evening and the morning" }),
      });
      const body = (await response.json()) as { error?: { code?: string } };
      statuses.push({
        at: Date.now(),
        status: response.status,
        code: body.error?.code,
        requestId: response.headers.get("x-request-id") ?? "",
      });
    };
    const running = Array.from({ length: 8 }, async () => {
      while (phase !== "done") await call();
    });
    // Kill Redis once requests are being served (a loaded machine may take a while to answer the first).
    for (let i = 0; i < 300 && !statuses.some((entry) => entry.status === 200); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killedAt = Date.now();
    phase = "down";
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await redis.start();
    const restartedAt = Date.now();
    let recoveredAt: number | undefined;
    for (let i = 0; i < 300 && recoveredAt === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recoveredAt = statuses.find((entry) => entry.at > restartedAt && entry.status === 200)?.at;
    }
    phase = "done";
    await Promise.all(running);

    expect(statuses.filter((entry) => entry.at < killedAt && entry.status === 200).length).toBeGreaterThan(0);
    const outage = statuses.filter((entry) => entry.at > killedAt + 200 && entry.at < restartedAt);
    expect(outage.length).toBeGreaterThan(0);
    // Answers that were ready when Redis went are still given, recorded in Postgres directly; the rest are 503s.
    const unexpected = outage.filter((entry) => entry.status !== 503 && entry.status !== 200);
    expect(JSON.stringify(unexpected.map((entry) => ({ ...entry, msAfterKill: entry.at - killedAt })))).toBe("[]");
    const others = statuses.filter((entry) => entry.status >= 500 && entry.status !== 503);
    expect(JSON.stringify(others.map((entry) => ({ ...entry, msAfterKill: entry.at - killedAt })))).toBe("[]");
    expect(recoveredAt, "no request succeeded after Redis came back").toBeDefined();
    expect(stack.gateway.child.exitCode).toBeNull();
    // Every answer given was billed, once: the ones from before the loss too (their usage log was lost with Redis).
    const answered = statuses.filter((entry) => entry.status === 200).map((entry) => entry.requestId);
    await expect
      .poll(() => db.ledgerEntry.count({ where: { tenantId: tenant.id, requestId: { in: answered } } }), {
        timeout: 30_000,
      })
      .toBe(answered.length);
  }, 90_000);

  it("rebuilds a budget from the ledger after FLUSHALL under load: never admitted past it, and the counter ends equal to the ledger", async () => {
    const db = testDb();
    const tenant = await createUnlimitedTenant("flushall");
    const budget = 400n;
    await db.quotaOverride.create({
      data: { id: newId("quotaOverride"), tenantId: tenant.id, limitBudgetMicros: budget, limitBudgetPeriod: "month" },
    });
    const { secret } = await createTestKey({ tenantId: tenant.id });
    const client = createRedis(redis.url, "client", "flushall-test");
    const gate = new QuotaGate(client, stack.prefix);
    const scope = {
      kind: "tenant" as const,
      id: tenant.id,
      tenantId: tenant.id,
      limits: {
        rpm: null,
        tpm: null,
        rpd: null,
        concurrent: null,
        budgetMicros: budget,
        budgetPeriod: "month" as const,
      },
    };
    const spent = async () =>
      (await db.ledgerEntry.aggregate({ where: { tenantId: tenant.id, kind: "usage" }, _sum: { amountMicros: true } }))
        ._sum.amountMicros ?? 0n;
    const outcomes: { status: number; code?: string; flushed: boolean; requestId: string }[] = [];
    let flushed = false;
    let running = true;
    const call = async () => {
      const response = await fetch(`${stack.url}/v1/embeddings`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "kjv-embed-mini", input: "And the evening and the morning were the first day" }),
      });
      const body = (await response.json()) as { error?: { code?: string } };
      outcomes.push({
        status: response.status,
        code: body.error?.code,
        flushed,
        requestId: response.headers.get("x-request-id") ?? "",
      });
    };
    const load = Array.from({ length: 8 }, async () => {
      while (running) await call();
    });
    // Spend over half the budget, then Redis loses everything.
    await expect.poll(async () => (await spent()) * 2n > budget, { timeout: 60_000, interval: 50 }).toBe(true);
    await client.flushall();
    flushed = true;
    // Load goes on until the budget refuses for a while.
    await expect
      .poll(() => outcomes.filter((outcome) => outcome.flushed && outcome.status === 402).length, {
        timeout: 60_000,
      })
      .toBeGreaterThan(20);
    running = false;
    await Promise.all(load);

    const served = outcomes.filter((outcome) => outcome.status === 200);
    expect(served.filter((outcome) => outcome.flushed).length, "nothing was served after the flush").toBeGreaterThan(0);
    const wrong = outcomes.filter((outcome) => outcome.status >= 500 && outcome.status !== 503);
    expect(JSON.stringify(wrong)).toBe("[]");
    // Every answer is billed, and nothing else is charged (a job lost with Redis is recorded, at no cost);
    // together they stay within the budget.
    const servedIds = served.map((outcome) => outcome.requestId);
    await expect
      .poll(() => db.ledgerEntry.count({ where: { tenantId: tenant.id, requestId: { in: servedIds } } }), {
        timeout: 30_000,
      })
      .toBe(served.length);
    const chargedUnanswered = await db.ledgerEntry.count({
      where: { tenantId: tenant.id, requestId: { notIn: servedIds }, amountMicros: { not: 0n } },
    });
    expect(chargedUnanswered, "charged without an answer").toBe(0);
    expect(await spent()).toBeLessThanOrEqual(budget);
    // With nothing in flight, the counter is the ledger, to the micro-unit.
    const [use] = await gate.usage([scope]);
    expect(use?.budgetUsedMicros).toBe(await spent());
    client.disconnect();
  }, 180_000);
});
