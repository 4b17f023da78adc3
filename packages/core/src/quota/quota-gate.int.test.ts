import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { noLimits, type LimitSet } from "./limits.ts";
import { QuotaGate, type QuotaScope } from "./quota-gate.ts";

const redis = createRedis(testRedisUrl(), "client", "quota-gate-test");
const prefix = `qg${randomBytes(4).toString("hex")}`;
const gate = new QuotaGate(redis, prefix);
let n = 0;
const requestId = () => `req_${prefix}${(n += 1)}`;
const tenant = () => `ten_${randomBytes(6).toString("hex")}`;
const scope = (kind: "key" | "tenant", tenantId: string, limits: Partial<LimitSet>, id = tenantId): QuotaScope => ({
  kind,
  id,
  tenantId,
  limits: { ...noLimits, ...limits },
});

beforeAll(async () => {
  await redis.connect();
});
afterAll(() => {
  redis.disconnect();
});

describe("admission in one atomic script", () => {
  it("admits exactly the limit of 1,000 concurrent requests", async () => {
    const scopes = [scope("tenant", tenant(), { rpm: 100 })];
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => gate.admit({ requestId: requestId(), scopes, tokens: 1, costMicros: 0n })),
    );
    expect(results.filter((result) => result.admitted)).toHaveLength(100);
    const refused = results.find((result) => !result.admitted);
    expect(refused).toMatchObject({ admitted: false, limit: "rpm" });
    expect(refused && "retryAfterMs" in refused && refused.retryAfterMs).toBeGreaterThan(50_000);
  });

  it("never lets concurrent spend pass the budget, and uses at least 95 % of it", async () => {
    const budget = 100_000n;
    const scopes = [scope("tenant", tenant(), { budgetMicros: budget, budgetPeriod: "month" })];
    await gate.seed(scopes[0] as QuotaScope, 0n);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => gate.admit({ requestId: requestId(), scopes, tokens: 10, costMicros: 700n })),
    );
    const admitted = results.filter((result) => result.admitted).length;
    expect(BigInt(admitted) * 700n).toBeLessThanOrEqual(budget);
    expect(Number(BigInt(admitted) * 700n)).toBeGreaterThanOrEqual(0.95 * Number(budget));
    expect(results.find((result) => !result.admitted)).toMatchObject({ limit: "budget" });
  });

  it("takes all scopes or none: a refusal by the tenant costs the key nothing", async () => {
    const tenantId = tenant();
    const tenantScope = scope("tenant", tenantId, { rpm: 3 });
    const keyA = [scope("key", tenantId, { rpm: 2 }, "key_a"), tenantScope];
    const keyB = [scope("key", tenantId, { rpm: 5 }, "key_b"), tenantScope];
    const admit = (scopes: QuotaScope[]) => gate.admit({ requestId: requestId(), scopes, tokens: 1, costMicros: 0n });
    expect((await admit(keyA)).admitted).toBe(true);
    expect((await admit(keyA)).admitted).toBe(true);
    expect(await admit(keyA)).toMatchObject({ admitted: false, limit: "rpm", scope: { kind: "key", id: "key_a" } });
    expect((await admit(keyB)).admitted).toBe(true);
    expect(await admit(keyB)).toMatchObject({ admitted: false, limit: "rpm", scope: { kind: "tenant" } });
    // key_b was refused by the tenant, so it took nothing of its own: it has used 1 of 5.
    const done = await gate.admit({
      requestId: requestId(),
      scopes: [keyB[0] as QuotaScope],
      tokens: 1,
      costMicros: 0n,
    });
    expect(done).toMatchObject({ admitted: true, uses: [{ requests: 2 }] });
  });

  it("settles tokens and money to what was used, once", async () => {
    const scopes = [scope("tenant", tenant(), { tpm: 1000, budgetMicros: 1000n, budgetPeriod: "day" })];
    await gate.seed(scopes[0] as QuotaScope, 0n);
    const first = requestId();
    expect((await gate.admit({ requestId: first, scopes, tokens: 600, costMicros: 600n })).admitted).toBe(true);
    expect(await gate.admit({ requestId: requestId(), scopes, tokens: 600, costMicros: 100n })).toMatchObject({
      admitted: false,
      limit: "tpm",
    });
    await gate.settle({ requestId: first, scopes, tokens: 100, costMicros: 50n });
    await gate.settle({ requestId: first, scopes, tokens: 100, costMicros: 50n });
    const second = await gate.admit({ requestId: requestId(), scopes, tokens: 600, costMicros: 900n });
    expect(second).toMatchObject({ admitted: true, uses: [{ tokens: 700, budgetUsedMicros: 950n }] });
  });

  it("holds concurrency until settlement, and releases a vanished request's reservation when its lease ends", async () => {
    const shortLease = new QuotaGate(redis, prefix, 300);
    const scopes = [scope("tenant", tenant(), { concurrent: 1, budgetMicros: 500n, budgetPeriod: "month" })];
    await shortLease.seed(scopes[0] as QuotaScope, 0n);
    const first = requestId();
    expect((await shortLease.admit({ requestId: first, scopes, tokens: 1, costMicros: 400n })).admitted).toBe(true);
    expect(await shortLease.admit({ requestId: requestId(), scopes, tokens: 1, costMicros: 1n })).toMatchObject({
      admitted: false,
      limit: "concurrent",
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // The first never settled: its lease and its 400 reserved are gone.
    const again = await shortLease.admit({ requestId: requestId(), scopes, tokens: 1, costMicros: 450n });
    expect(again).toMatchObject({ admitted: true, uses: [{ inFlight: 1, budgetUsedMicros: 450n }] });
  });

  it("admits again once a request that used no tokens has left the minute's window", async () => {
    // A refused OCR request settles at 0 tokens; sweeping it out once locked its tenant out for good
    // (HINCRBY with "-0", which Redis refuses as not an integer).
    const scopes = [scope("tenant", tenant(), { tpm: 1000 })];
    const start = Date.now();
    const first = requestId();
    expect(
      (await gate.admit({ requestId: first, scopes, tokens: 0, costMicros: 0n, now: new Date(start) })).admitted,
    ).toBe(true);
    await gate.settle({ requestId: first, scopes, tokens: 0, costMicros: 0n });
    for (const later of [61_000, 62_000]) {
      const next = await gate.admit({
        requestId: requestId(),
        scopes,
        tokens: 10,
        costMicros: 0n,
        now: new Date(start + later),
      });
      expect(next).toMatchObject({ admitted: true });
    }
  });

  it("counts requests per UTC day", async () => {
    const scopes = [scope("key", tenant(), { rpd: 2 }, "key_d")];
    const admit = () => gate.admit({ requestId: requestId(), scopes, tokens: 1, costMicros: 0n });
    await admit();
    await admit();
    const refused = await admit();
    expect(refused).toMatchObject({ admitted: false, limit: "rpd" });
    expect("retryAfterMs" in refused && refused.retryAfterMs).toBeLessThanOrEqual(86_400_000 + 3_600_000);
  });
});
