import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyVerifier } from "@aiaas/core/keys";
import { createTestTenant, startTestVerifier, testDb } from "@aiaas/core/testing";
import type { Redis } from "ioredis";
import { callerFor } from "../../testing/api-caller.ts";

const db = testDb();
let verifier: ApiKeyVerifier;
let redis: Redis;
let close: () => void;
beforeAll(async () => {
  ({ verifier, redis, close } = await startTestVerifier("roll-test"));
});
afterAll(async () => {
  close();
  await db.$disconnect();
});

describe("apiKeys.roll", () => {
  it("issues a new secret and keeps the old one valid for the grace period only", async () => {
    const { caller } = await callerFor(redis);
    await caller.tenant.create({ name: "Rollers" });
    const original = await caller.apiKeys.create({ name: "svc", scopes: ["chat:write"] });
    expect((await verifier.verify(original.secret)).ok).toBe(true);

    const rolled = await caller.apiKeys.roll({ keyId: original.id, graceHours: 2 });
    expect(rolled.secret).not.toBe(original.secret);
    expect(await verifier.verify(rolled.secret)).toMatchObject({
      ok: true,
      key: { name: "svc", scopes: ["chat:write"] },
    });
    await expect.poll(async () => (await verifier.verify(original.secret)).ok).toBe(true);
    expect(await verifier.verify(original.secret, Date.now() + 2 * 3_600_000 + 1000)).toMatchObject({
      ok: false,
      reason: "expired",
    });

    const statuses = Object.fromEntries((await caller.apiKeys.list()).map((key) => [key.id, key.status]));
    expect(statuses).toEqual({ [original.id]: "rolling", [rolled.id]: "active" });
    await expect(caller.apiKeys.roll({ keyId: original.id, graceHours: 0 })).rejects.toMatchObject({
      message: "This key has already been rolled.",
    });
    expect((await caller.audit.list({ action: "api_key.roll" })).events).toHaveLength(1);
  });

  it("with no grace, the old secret stops at once, in every verifier", async () => {
    const { caller } = await callerFor(redis);
    await caller.tenant.create({ name: "Instant" });
    const original = await caller.apiKeys.create({ name: "svc" });
    expect((await verifier.verify(original.secret)).ok).toBe(true);
    await caller.apiKeys.roll({ keyId: original.id, graceHours: 0 });
    await expect.poll(async () => (await verifier.verify(original.secret)).ok, { timeout: 1000 }).toBe(false);
  });

  it("refuses a grace period over 24 hours", async () => {
    const { caller } = await callerFor(redis);
    await caller.tenant.create({ name: "Greedy" });
    const original = await caller.apiKeys.create({ name: "svc" });
    await expect(caller.apiKeys.roll({ keyId: original.id, graceHours: 48 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("asks for the password again before creating or rolling a key more than 15 minutes after signing in", async () => {
    const { caller, session } = await callerFor(redis);
    await caller.tenant.create({ name: "Shared Laptop" });
    const original = await caller.apiKeys.create({ name: "svc" });
    const sixteenMinutesAgo = new Date(Date.now() - 16 * 60_000);
    await db.session.update({ where: { id: session.id }, data: { createdAt: sixteenMinutesAgo } });
    const refused = {
      code: "FORBIDDEN",
      message: "Confirm your password to continue: you signed in more than 15 minutes ago.",
      cause: { via: "password" },
    };
    await expect(caller.apiKeys.create({ name: "stolen" })).rejects.toMatchObject(refused);
    await expect(caller.apiKeys.roll({ keyId: original.id, graceHours: 0 })).rejects.toMatchObject(refused);
    expect(await db.apiKey.count({ where: { createdById: session.userId } })).toBe(1);
    expect((await verifier.verify(original.secret)).ok).toBe(true);
    // Reading keys needs no password; a password confirmed a minute ago (POST /api/auth/reauthenticate) is enough.
    expect(await caller.apiKeys.list()).toHaveLength(1);
    await db.session.update({ where: { id: session.id }, data: { reauthenticatedAt: new Date(Date.now() - 60_000) } });
    await expect(caller.apiKeys.create({ name: "mine" })).resolves.toMatchObject({ name: "mine" });
  });

  it("asks someone single sign-on signed in to sign in again at their IdP instead (they may have no password)", async () => {
    const tenant = await createTestTenant(db, "sso-keys");
    const { caller, session } = await callerFor(redis, { tenantId: tenant.id, ssoTenantId: tenant.id });
    await db.session.update({ where: { id: session.id }, data: { createdAt: new Date(Date.now() - 16 * 60_000) } });
    await expect(caller.apiKeys.create({ name: "later" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Sign in again at your identity provider to continue: you signed in more than 15 minutes ago.",
      cause: { via: "sso" },
    });
    // What POST /api/auth/sso/reauthenticate stamps once the IdP has signed them in again.
    await db.session.update({ where: { id: session.id }, data: { reauthenticatedAt: new Date() } });
    await expect(caller.apiKeys.create({ name: "now" })).resolves.toMatchObject({ name: "now" });
  });
});
