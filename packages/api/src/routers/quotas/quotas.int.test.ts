import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, newId } from "@aiaas/core/platform";
import { QuotaGate, loadTenantQuota } from "@aiaas/core/quota";
import { testDb, testRedisUrl } from "@aiaas/core/testing";
import { callerFor } from "../../testing/api-caller.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "quotas-api-test");
const queuePrefix = `quotas-api-${randomBytes(4).toString("hex")}`;
const gate = new QuotaGate(redis, queuePrefix);
beforeAll(() => redis.connect());
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

const meter = (meters: { name: string; limit: number | null; used: number | null }[], name: string) =>
  meters.find((m) => m.name === name);

/** Takes `requests` admissions of `tokens` each through the real gate, as gateways would. */
async function use(tenantId: string, keyId: string, requests: number, tokens: number) {
  const quota = await loadTenantQuota(db, tenantId, { keyId });
  const scopes = [quota.tenant, ...quota.keys.map((key) => key.scope)];
  // Gateways seed a budget's counter from the ledger before its first use.
  for (const scope of scopes) if (scope.limits.budgetMicros !== null) await gate.seed(scope, 0n);
  for (let i = 0; i < requests; i++) {
    const decision = await gate.admit({ requestId: newId("request"), scopes, tokens, costMicros: 1000n });
    expect(decision.admitted).toBe(true);
  }
}

describe("quotas in the control plane", () => {
  it("shows the organization's plan limits and each key's, each with its use now", async () => {
    const { caller: owner } = await callerFor(redis, { queuePrefix });
    const tenant = await owner.tenant.create({ name: "Metered" });
    const key = await owner.apiKeys.create({ name: "backend", limits: { rpm: 10 } });
    await owner.apiKeys.create({ name: "unlimited" });
    await use(tenant.id, key.id, 3, 50);

    const overview = await owner.quotas.overview();
    expect(overview.live).toBe(true);
    expect(overview.plan).toMatchObject({ slug: "free" });
    expect(overview.override).toBeNull();
    expect(meter(overview.tenant.meters, "rpm")).toMatchObject({ limit: 60, used: 3 });
    expect(meter(overview.tenant.meters, "tpm")).toMatchObject({ limit: 40_000, used: 150 });
    expect(meter(overview.tenant.meters, "budget")).toMatchObject({ limit: 5_000_000, used: 3000, unit: "micros" });
    const backend = overview.keys.find((row) => row.id === key.id);
    expect(meter(backend?.meters ?? [], "rpm")).toMatchObject({ limit: 10, used: 3 });
    expect(meter(backend?.meters ?? [], "tpm")).toMatchObject({ limit: null });
    expect(overview.keys.map((row) => row.name).sort()).toEqual(["backend", "unlimited"]);
  });

  it("lets an admin set, change and clear a key's limits, only tighter than the organization's, audited", async () => {
    const { caller: owner } = await callerFor(redis, { queuePrefix });
    const tenant = await owner.tenant.create({ name: "Tight" });
    const key = await owner.apiKeys.create({ name: "ci" });

    await owner.quotas.setKeyLimits({ keyId: key.id, limits: { rpm: 20, budgetUsd: 2.5, budgetPeriod: "day" } });
    let row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ limitRpm: 20, limitBudgetMicros: 2_500_000n, limitBudgetPeriod: "day" });

    await owner.quotas.setKeyLimits({ keyId: key.id, limits: { rpm: null, tpm: 1000 } });
    row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ limitRpm: null, limitTpm: 1000, limitBudgetMicros: 2_500_000n });

    await expect(owner.quotas.setKeyLimits({ keyId: key.id, limits: { rpm: 61 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A key's requests per minute (61) cannot exceed the organization's (60).",
    });
    await expect(owner.quotas.setKeyLimits({ keyId: key.id, limits: { budgetUsd: 6 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A key's budget cannot exceed the organization's budget.",
    });
    await expect(owner.quotas.setKeyLimits({ keyId: key.id, limits: { rpm: 0 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const events = await db.auditEvent.findMany({
      where: { chain: tenant.id, action: "api_key.limits.set" },
      orderBy: { seq: "asc" },
    });
    expect(events).toHaveLength(2);
    expect(events[1]?.metadata).toMatchObject({
      before: { limitRpm: 20, limitBudgetMicros: "2500000" },
      after: { limitRpm: null, limitTpm: 1000 },
    });
  });

  it("refuses key limits to members without limits:manage, and looser limits at key creation", async () => {
    const { caller: owner } = await callerFor(redis, { queuePrefix });
    const tenant = await owner.tenant.create({ name: "Roles" });
    const key = await owner.apiKeys.create({ name: "k" });
    const { caller: developer } = await callerFor(redis, { tenantId: tenant.id, role: "developer", queuePrefix });
    await expect(developer.quotas.setKeyLimits({ keyId: key.id, limits: { rpm: 5 } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await developer.quotas.overview()).keys).toHaveLength(1);
    await expect(owner.apiKeys.create({ name: "loose", limits: { concurrent: 5 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A key's concurrent requests (5) cannot exceed the organization's (4).",
    });
  });
});

describe("quotas in the operator area", () => {
  it("overrides a tenant's plan limits, shows plan, override and effective limits, and clears back", async () => {
    const { caller: owner } = await callerFor(redis, { queuePrefix });
    const tenant = await owner.tenant.create({ name: "Pilot" });
    const { caller: operator, user } = await callerFor(redis, { platformRole: "operator", queuePrefix });

    await operator.admin.setTenantQuota({
      tenantId: tenant.id,
      limits: { rpm: 600, budgetUsd: 25 },
      reason: "pilot customer",
    });
    const quota = await operator.admin.tenantQuota({ tenantId: tenant.id });
    expect(quota.plan?.limits).toMatchObject({ rpm: 60, budgetMicros: 5_000_000n });
    expect(quota.override).toMatchObject({ reason: "pilot customer", setBy: user.email, limits: { rpm: 600 } });
    expect(quota.tenant.limits).toMatchObject({
      rpm: 600,
      tpm: 40_000,
      budgetMicros: 25_000_000n,
      budgetPeriod: "month",
    });
    // The tenant's own admins see the raised limits too.
    expect(meter((await owner.quotas.overview()).tenant.meters, "rpm")).toMatchObject({ limit: 600 });

    await operator.admin.setTenantQuota({ tenantId: tenant.id, limits: { rpm: null, budgetUsd: null } });
    const cleared = await operator.admin.tenantQuota({ tenantId: tenant.id });
    expect(cleared.tenant.limits).toMatchObject({ rpm: 60, budgetMicros: 5_000_000n });

    const events = await db.auditEvent.findMany({ where: { chain: tenant.id, action: "quota.override.set" } });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actorType: "operator", actorId: user.id });
    await expect(owner.admin.setTenantQuota({ tenantId: tenant.id, limits: { rpm: 1 } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("lists plans with their limits, changes a plan's defaults (audited), and shows live usage per tenant", async () => {
    const { caller: operator, user } = await callerFor(redis, { platformRole: "operator", queuePrefix });
    const slug = `ops-${randomBytes(3).toString("hex")}`;
    const plan = await db.plan.create({ data: { id: newId("plan"), slug, name: "Ops test", limitRpm: 5 } });
    await operator.admin.setPlanLimits({ planId: plan.id, limits: { rpm: 7, tpm: 700, budgetUsd: 1 } });
    const listed = (await operator.admin.plans()).find((row) => row.slug === slug);
    expect(listed).toMatchObject({ tenants: 0, limits: { rpm: 7, tpm: 700, budgetMicros: 1_000_000n } });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "plan.limits.set", targetId: plan.id } });
    expect(event).toMatchObject({ tenantId: null, actorId: user.id, metadata: { plan: slug } });

    const { caller: owner } = await callerFor(redis, { queuePrefix });
    const tenant = await owner.tenant.create({ name: "Busy" });
    const key = await owner.apiKeys.create({ name: "k" });
    await use(tenant.id, key.id, 2, 10);
    const found = await operator.admin.liveUsage({ search: "busy" });
    expect(found.live).toBe(true);
    const busy = found.tenants.find((row) => row.id === tenant.id);
    expect(meter(busy?.meters ?? [], "rpm")).toMatchObject({ limit: 60, used: 2 });
    expect(busy?.busy).toBeGreaterThanOrEqual(2);
    // Unsearched, the view lists the tenants whose keys were used lately.
    expect((await operator.admin.liveUsage()).tenants.map((row) => row.id)).not.toContain(tenant.id);
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
    expect((await operator.admin.liveUsage()).tenants.map((row) => row.id)).toContain(tenant.id);
  });
});
