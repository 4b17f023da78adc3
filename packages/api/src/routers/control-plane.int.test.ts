import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { createPrismaClient } from "@aiaas/db";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { anonymousCaller, callerFor, contextCaller } from "../testing/api-caller.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "api-test");
beforeAll(() => redis.connect());
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

describe("control plane", () => {
  it("asks anonymous callers to sign in", async () => {
    await expect(anonymousCaller(redis).tenant.mine()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "Sign in to continue.",
    });
  });

  it("asks a user without an organisation to create one", async () => {
    const { caller } = await callerFor(redis);
    await expect(caller.apiKeys.list()).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("answers 503, to retry, when the database is out of reach: never a 500", async () => {
    const url = new URL(testDatabaseUrl());
    url.port = "1";
    const unreachable = createPrismaClient({ databaseUrl: url.toString() });
    const caller = contextCaller(redis, {
      db: unreachable,
      session: {
        sessionId: "session_1",
        userId: "user_1",
        email: "a@example.com",
        name: "a",
        platformRole: "user",
        activeTenantId: "tenant_1",
        emailVerified: true,
        twoFactorEnabled: false,
        authenticatedAt: new Date(),
      },
    });
    try {
      await expect(caller.apiKeys.list()).rejects.toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: "The database is unavailable right now. Try again in a moment.",
      });
    } finally {
      await unreachable.$disconnect();
    }
  });

  it("lets a new user create an organisation, a key, revoke it, and read both in the audit log", async () => {
    const { caller, user } = await callerFor(redis);
    const linked = caller.tenant.create({ name: "Claim your credit at https://evil.example" });
    await expect(linked).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(linked).rejects.toThrow(/A name cannot contain a web address or a link/);
    const tenant = await caller.tenant.create({ name: "Acme Research" });
    expect(tenant.slug).toMatch(/^acme-research/);
    expect(await caller.tenant.current()).toMatchObject({ tenant: { id: tenant.id }, role: "owner" });

    const created = await caller.apiKeys.create({ name: "backend" });
    expect(created.secret).toMatch(/^aiaas_live_/);
    const [listed] = await caller.apiKeys.list();
    expect(listed).toMatchObject({ id: created.id, status: "active", display: created.display });
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    await caller.apiKeys.revoke({ keyId: created.id });
    const { events } = await caller.audit.list({});
    expect(events.map((event) => event.action)).toEqual(["api_key.revoke", "api_key.create", "tenant.create"]);
    expect(events.every((event) => event.actorId === user.id && event.actorType === "user")).toBe(true);
  });

  it("stores a key's model scopes and per-key limits, and lists them", async () => {
    const { caller } = await callerFor(redis);
    await caller.tenant.create({ name: "Limited" });
    const models = await caller.models.available();
    expect(models.map((model) => model.slug)).toContain("paddleocr-v4");
    const created = await caller.apiKeys.create({
      name: "bounded",
      models: ["paddleocr-v4"],
      limits: { rpm: 60, tpm: 10_000, concurrent: 2, budgetUsd: 2.5, budgetPeriod: "day" },
    });
    const [listed] = await caller.apiKeys.list();
    expect(listed).toMatchObject({
      id: created.id,
      models: ["paddleocr-v4"],
      limits: { rpm: 60, tpm: 10_000, rpd: null, concurrent: 2, budgetMicros: 2_500_000n, budgetPeriod: "day" },
    });
    await expect(caller.apiKeys.create({ name: "bad", limits: { rpm: 0 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("keeps a suspended organisation read-only: members read, nothing changes", async () => {
    const { caller } = await callerFor(redis);
    const tenant = await caller.tenant.create({ name: "Paused Inc" });
    await db.tenant.update({ where: { id: tenant.id }, data: { status: "suspended" } });
    expect(await caller.apiKeys.list()).toEqual([]);
    expect(await caller.tenant.settings()).toMatchObject({ name: "Paused Inc" });
    await expect(caller.apiKeys.create({ name: "sneaky" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This organisation is suspended: it is read-only until an operator resumes it.",
    });
    await expect(caller.tenant.update({ name: "Unpaused" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.apiKey.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("audits what it refuses a signed-in person, once a minute per person, procedure and reason", async () => {
    const { caller: owner } = await callerFor(redis);
    const tenant = await owner.tenant.create({ name: "Refusals" });
    const { caller: viewer, user } = await callerFor(redis, { tenantId: tenant.id, role: "viewer" });
    for (let i = 0; i < 3; i++) {
      await expect(viewer.apiKeys.create({ name: "not mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(viewer.admin.tenants({})).rejects.toMatchObject({ code: "FORBIDDEN", message: "Operators only." });
    }
    const denied = await db.auditEvent.findMany({
      where: { action: "access.denied", actorId: user.id },
      orderBy: { occurredAt: "asc" },
    });
    expect(denied.map((event) => [event.targetId, event.result, event.tenantId])).toEqual([
      ["apiKeys.create", "denied", tenant.id],
      ["admin.tenants", "denied", tenant.id],
    ]);
    expect(denied[0]?.metadata).toEqual({ message: "Your role (viewer) does not allow keys:create." });
    // The tenant's owners read it in their audit log.
    const { events } = await owner.audit.list({ action: "access.denied" });
    expect(events.map((event) => event.targetId)).toEqual(["admin.tenants", "apiKeys.create"]);
  });

  it("lets one person own at most MAX_TENANTS_PER_USER organisations, even asking in parallel", async () => {
    const { caller } = await callerFor(redis, { abuseLimits: { tenantsPerUser: 3 } });
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => caller.tenant.create({ name: `Shell company ${i}` })),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(3);
    const refused = attempts.find((attempt) => attempt.status === "rejected");
    expect(refused?.reason).toMatchObject({
      code: "FORBIDDEN",
      message: "You own 3 organisations, the most one person may own here. Ask an operator if you need more.",
    });
  });

  it("lets an owner with two-factor sign-in require it: members without it are refused until they enrol", async () => {
    const { caller: withoutMfa } = await callerFor(redis);
    const tenant = await withoutMfa.tenant.create({ name: "Careful Co" });
    await expect(withoutMfa.tenant.update({ requireMfa: true })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Set up two-factor sign-in for yourself (your account page) before requiring it of everyone.",
    });
    const owner = await callerFor(redis, { tenantId: tenant.id, role: "owner", twoFactorEnabled: true });
    expect(await owner.caller.tenant.update({ requireMfa: true })).toMatchObject({ requireMfa: true });
    const refused = {
      code: "FORBIDDEN",
      message: "This organisation requires two-factor sign-in: set it up on your account page first.",
    };
    await expect(withoutMfa.apiKeys.list()).rejects.toMatchObject(refused);
    await expect(withoutMfa.tenant.settings()).rejects.toMatchObject(refused);
    expect(await owner.caller.apiKeys.list()).toEqual([]);
    // Signed in by the organisation's own IdP (single sign-on): the second factor is the IdP's to require.
    const viaIdp = await callerFor(redis, { tenantId: tenant.id, role: "developer", ssoTenantId: tenant.id });
    expect(await viaIdp.caller.apiKeys.list()).toEqual([]);
    const viaOtherIdp = await callerFor(redis, { tenantId: tenant.id, role: "developer", ssoTenantId: "ten_other" });
    await expect(viaOtherIdp.caller.apiKeys.list()).rejects.toMatchObject(refused);
    const event = await db.auditEvent.findFirstOrThrow({ where: { chain: tenant.id, action: "tenant.update" } });
    expect(event.metadata).toMatchObject({ after: { requireMfa: true } });
  });

  it("refuses key creation to a viewer, and creates nothing", async () => {
    const tenant = await createTestTenant(db, "viewer");
    const { caller } = await callerFor(redis, { tenantId: tenant.id, role: "viewer" });
    expect(await caller.apiKeys.list()).toEqual([]);
    await expect(caller.apiKeys.create({ name: "nope" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Your role (viewer) does not allow keys:create.",
    });
    expect(await db.apiKey.count({ where: { tenantId: tenant.id } })).toBe(0);
    await expect(caller.audit.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lets an owner rename the organisation and set retention, audited with before and after; a viewer cannot", async () => {
    const { caller } = await callerFor(redis);
    const tenant = await caller.tenant.create({ name: "Old Name" });
    expect(await caller.tenant.update({ name: "New Name", retention: "days_7" })).toMatchObject({
      name: "New Name",
      retention: "days_7",
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { chain: tenant.id, action: "tenant.update" } });
    expect(event.metadata).toEqual({
      before: { name: "Old Name", retention: "none", requireMfa: false },
      after: { name: "New Name", retention: "days_7", requireMfa: false },
    });

    const viewer = await callerFor(redis, { tenantId: tenant.id, role: "viewer" });
    expect(await viewer.caller.tenant.settings()).toMatchObject({ name: "New Name", retention: "days_7" });
    await expect(viewer.caller.tenant.update({ name: "Hijacked" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.tenant.update({ name: " " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses switching to an organisation the user is not a member of", async () => {
    const other = await createTestTenant(db, "foreign");
    const { caller } = await callerFor(redis);
    await expect(caller.tenant.switchTo({ tenantId: other.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
