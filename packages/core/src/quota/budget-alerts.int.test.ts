import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../ids.ts";
import { createRedis } from "../redis/create-redis.ts";
import { createTestTenant, testDb } from "../testing/fixtures.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { BudgetAlerts, budgetAlertLevel } from "./budget-alerts.ts";
import { noLimits } from "./limits.ts";
import type { ScopeUse } from "./quota-gate.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "budget-alerts-test");
const alerts = new BudgetAlerts(redis, `ba${randomBytes(4).toString("hex")}`, db);

beforeAll(async () => {
  await redis.connect();
});
afterAll(() => {
  redis.disconnect();
});

async function member(tenantId: string, role: "owner" | "admin" | "viewer") {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.com`;
  const user = await db.user.create({ data: { id: newId("user"), name: role, email } });
  await db.membership.create({ data: { id: newId("membership"), tenantId, userId: user.id, role } });
  return email;
}

const use = (tenantId: string, used: bigint): ScopeUse => ({
  scope: {
    kind: "tenant",
    id: tenantId,
    tenantId,
    limits: { ...noLimits, budgetMicros: 1_000_000n, budgetPeriod: "month" },
  },
  requests: 0,
  tokens: 0,
  requestsToday: 0,
  inFlight: 0,
  budgetUsedMicros: used,
  windowResetMs: 60_000,
  budgetResetAt: new Date(Date.UTC(2027, 0, 1)),
});

describe("budget alerts", () => {
  it("names the level: none below 80 %, then 80, then 100", () => {
    expect(budgetAlertLevel(799_999n, 1_000_000n)).toBe(0);
    expect(budgetAlertLevel(800_000n, 1_000_000n)).toBe(80);
    expect(budgetAlertLevel(1_000_000n, 1_000_000n)).toBe(100);
  });

  it("mails owners and admins once per level and period, never viewers", async () => {
    const tenant = await createTestTenant(db, "alert");
    const owner = await member(tenant.id, "owner");
    const admin = await member(tenant.id, "admin");
    const viewer = await member(tenant.id, "viewer");
    await alerts.check(use(tenant.id, 500_000n));
    expect(await db.outboxEmail.count({ where: { tenantId: tenant.id } })).toBe(0);
    await alerts.check(use(tenant.id, 850_000n));
    await alerts.check(use(tenant.id, 900_000n));
    const at80 = await db.outboxEmail.findMany({ where: { tenantId: tenant.id, kind: "budget-alert" } });
    expect(at80.map((email) => email.toAddress).sort()).toEqual([owner, admin].sort());
    expect(at80[0]?.subject).toMatch(/80% of the monthly budget used/);
    expect(at80[0]?.textBody).toContain("$0.85 of your organization's monthly budget of $1.00");
    await Promise.all([alerts.check(use(tenant.id, 1_000_000n)), alerts.check(use(tenant.id, 1_000_000n))]);
    const all = await db.outboxEmail.findMany({ where: { tenantId: tenant.id, kind: "budget-alert" } });
    expect(all).toHaveLength(4);
    expect(all.filter((email) => /used up/.test(email.subject))).toHaveLength(2);
    expect(all.some((email) => email.toAddress === viewer)).toBe(false);
  });
});
