import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountStatement } from "@aiaas/core/billing";
import { createRedis, newId } from "@aiaas/core/platform";
import { usageBreakdown } from "@aiaas/core/usage";
import { logLine, testDb, testRedisUrl } from "@aiaas/core/testing";
import { helloWorldPng } from "@aiaas/inference/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const db = testDb();
let stack: GatewayStack;

beforeAll(async () => {
  // Two gateways of two processes each (GATEWAY_PROCESSES): limits hold across gateways and their processes.
  stack = await startGatewayStack({
    models: "kjv-embed-mini,paddleocr-v4",
    gateways: 2,
    gatewayEnv: { GATEWAY_PROCESSES: "2" },
  });
}, 120_000);
afterAll(async () => {
  await stack.close();
});

const post = (url: string, secret: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function settledUsage(tenantId: string, expected: number) {
  for (let i = 0; i < 100; i++) {
    const rows = await db.usageEvent.findMany({ where: { tenantId } });
    if (rows.length >= expected) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return db.usageEvent.findMany({ where: { tenantId } });
}

/** What the usage page shows (the daily roll-up) equals the usage events, to the unit. */
async function expectUsagePageToMatch(tenantId: string, events: Awaited<ReturnType<typeof settledUsage>>) {
  const sum = (rows: { inputTokens: number; outputTokens: number; images: number; costMicros: bigint }[]) => ({
    inputTokens: rows.reduce((total, row) => total + row.inputTokens, 0),
    outputTokens: rows.reduce((total, row) => total + row.outputTokens, 0),
    images: rows.reduce((total, row) => total + row.images, 0),
    costMicros: rows.reduce((total, row) => total + row.costMicros, 0n),
  });
  const page = await usageBreakdown({ tenantId, days: 2 }, db);
  expect({ requests: page.reduce((total, row) => total + row.requests, 0), ...sum(page) }).toEqual({
    requests: events.length,
    ...sum(events),
  });
}

describe("limits across two gateway processes", () => {
  it("admits exactly 100 of 1,000 requests fired at once at a key allowing 100 a minute; 900 get 429", async () => {
    const tenant = await createUnlimitedTenant("rpm");
    const key = await createTestKey({ tenantId: tenant.id, limits: { rpm: 100 } });
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        post(stack.urls[i % 2] ?? stack.url, key.secret, "/v1/embeddings", {
          model: "kjv-embed-mini",
          input: `verse ${i}`,
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(100);
    expect(statuses.filter((status) => status === 429)).toHaveLength(900);
    const refused = responses.find((response) => response.status === 429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused?.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const error = ((await refused?.json()) as { error: Record<string, string> }).error;
    expect(error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(error.message).toMatch(/requests per min \(RPM\) on this API key: Limit 100, Used 100/);
    const admitted = responses.find((response) => response.status === 200);
    expect(admitted?.headers.get("x-ratelimit-limit-requests")).toBe("100");
    expect(Number(admitted?.headers.get("x-ratelimit-remaining-requests"))).toBeLessThan(100);
    expect(admitted?.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+s$|^\d+ms$/);
    const usage = await settledUsage(tenant.id, 100);
    expect(usage).toHaveLength(100);
    expect(usage.every((row) => row.status === "succeeded")).toBe(true);
    await expectUsagePageToMatch(tenant.id, usage);
  }, 60_000);

  it("never overdraws a budget under 1,000 concurrent requests of known cost: 402 for the rest, naming the budget", async () => {
    // OCR costs exactly its price per image: what is reserved is what is spent.
    const tenant = await createUnlimitedTenant("budget");
    const model = await db.model.findUniqueOrThrow({
      where: { slug: "paddleocr-v4" },
      include: { prices: { where: { effectiveFrom: { lte: new Date() } }, orderBy: { effectiveFrom: "desc" } } },
    });
    const perImage = model.prices[0]?.imageMicros ?? 0n;
    expect(perImage).toBeGreaterThan(0n);
    const budget = perImage * 10n + perImage / 2n;
    await db.quotaOverride.create({
      data: { id: newId("quotaOverride"), tenantId: tenant.id, limitBudgetMicros: budget, limitBudgetPeriod: "month" },
    });
    const key = await createTestKey({ tenantId: tenant.id });
    const image = (await helloWorldPng()).toString("base64");
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        post(stack.urls[i % 2] ?? stack.url, key.secret, "/v1/ocr", { model: "paddleocr-v4", image }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 402)).toHaveLength(990);
    const refused = responses.find((response) => response.status === 402);
    const error = ((await refused?.json()) as { error: Record<string, string> }).error;
    expect(error).toMatchObject({ type: "insufficient_quota", code: "budget_exhausted" });
    expect(error.message).toMatch(/monthly budget of this organization is used up/);
    const admitted = responses.find((response) => response.status === 200);
    expect(admitted?.headers.get("x-budget-limit-micros")).toBe(String(budget));
    const usage = await settledUsage(tenant.id, 10);
    const spent = usage.reduce((sum, row) => sum + row.costMicros, 0n);
    expect(spent).toBeLessThanOrEqual(budget);
    expect(Number(spent)).toBeGreaterThanOrEqual(0.95 * Number(budget) - Number(perImage));
    await expectUsagePageToMatch(tenant.id, usage);
  }, 120_000);

  it("holds a prepaid tenant to its credit: at a zero balance 402, never overdrawn", async () => {
    const plan = await db.plan.create({
      data: {
        id: newId("plan"),
        slug: `prepaid-${newId("plan").slice(-6).toLowerCase()}`,
        name: "Prepaid test",
        prepaid: true,
        active: false,
      },
    });
    const tenant = await createUnlimitedTenant("prepaid");
    await db.tenant.update({ where: { id: tenant.id }, data: { planId: plan.id } });
    const model = await db.model.findUniqueOrThrow({
      where: { slug: "paddleocr-v4" },
      include: { prices: { where: { effectiveFrom: { lte: new Date() } }, orderBy: { effectiveFrom: "desc" } } },
    });
    const perImage = model.prices[0]?.imageMicros ?? 0n;
    await db.ledgerEntry.create({
      data: { id: newId("ledgerEntry"), tenantId: tenant.id, kind: "credit_grant", amountMicros: -3n * perImage },
    });
    const key = await createTestKey({ tenantId: tenant.id });
    const image = (await helloWorldPng()).toString("base64");
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(stack.urls[i % 2] ?? stack.url, key.secret, "/v1/ocr", { model: "paddleocr-v4", image }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 402)).toHaveLength(47);
    const error = (
      (await responses.find((response) => response.status === 402)?.json()) as {
        error: Record<string, string>;
      }
    ).error;
    expect(error.code).toBe("budget_exhausted");
    expect(error.message).toMatch(/prepaid credit of this organization is used up.*Top up on the billing page/);
    await settledUsage(tenant.id, 3);
    const [month] = await accountStatement(db, { tenantId: tenant.id, includedUsageMicros: 0n });
    expect(month).toMatchObject({ usageMicros: 3n * perImage, dueMicros: 0n, balanceMicros: 0n });
  }, 60_000);

  it("answers a failing admission script with a 503, logged with the request id and the script's name, and counted", async () => {
    const tenant = await createUnlimitedTenant("script-error");
    const key = await createTestKey({ tenantId: tenant.id, limits: { tpm: 1000 } });
    const redis = createRedis(testRedisUrl(), "client", "script-error-test");
    // The key's token log holds a string: the script cannot read it.
    await redis.set(`${stack.prefix}:quota:{${tenant.id}}:key:${key.id}:tokens`, "not a hash");
    redis.disconnect();
    const response = await post(stack.url, key.secret, "/v1/embeddings", { model: "kjv-embed-mini", input: "verse" });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("limits_unavailable");
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(await logLine(stack.gateway, [requestId, "script_error"])).toMatchObject({
      requestId,
      tenantId: tenant.id,
      script: "admit",
      err: { message: expect.stringContaining("WRONGTYPE") as unknown },
    });
    const metrics = await (await fetch(`${stack.internalUrl}/metrics`)).text();
    expect(metrics).toMatch(/aiaas_gateway_failures_total\{event="script_error",script="admit"\} [1-9]/);
  });

  it("counts refused requests (a bad body, an unknown model, an unreadable image) against the key's requests per minute", async () => {
    const tenant = await createUnlimitedTenant("refusals");
    const key = await createTestKey({ tenantId: tenant.id, limits: { rpm: 3 } });
    const refusals = [
      post(stack.url, key.secret, "/v1/embeddings", { model: "kjv-embed-mini", input: "x", temperature: 9 }),
      post(stack.url, key.secret, "/v1/embeddings", { model: "no-such-model", input: "x" }),
      post(stack.url, key.secret, "/v1/ocr", { model: "paddleocr-v4", image: Buffer.alloc(64, 1).toString("base64") }),
    ];
    expect((await Promise.all(refusals)).map((response) => response.status)).toEqual([400, 404, 400]);
    // The minute's three are used: a good request is refused for the limit, and so is a fourth bad one.
    const good = await post(stack.url, key.secret, "/v1/embeddings", { model: "kjv-embed-mini", input: "verse" });
    expect(good.status).toBe(429);
    expect(((await good.json()) as { error: { message: string } }).error.message).toMatch(
      /requests per min \(RPM\) on this API key: Limit 3, Used 3/,
    );
    const bad = await post(stack.url, key.secret, "/v1/embeddings", { model: "kjv-embed-mini" });
    expect(bad.status).toBe(429);
  });
});
