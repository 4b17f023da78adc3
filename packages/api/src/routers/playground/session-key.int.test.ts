import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyVerifier } from "@aiaas/core/keys";
import { startTestVerifier, testDb } from "@aiaas/core/testing";
import type { Redis } from "ioredis";
import { callerFor } from "../../testing/api-caller.ts";

const db = testDb();
let verifier: ApiKeyVerifier;
let redis: Redis;
let close: () => void;
beforeAll(async () => {
  ({ verifier, redis, close } = await startTestVerifier("playground-test"));
});
afterAll(async () => {
  close();
  await db.$disconnect();
});

describe("playground.sessionKey", () => {
  it("makes a working key for this session that expires in an hour, listed only to owners and admins, marked", async () => {
    const { caller, session } = await callerFor(redis);
    const tenant = await caller.tenant.create({ name: "Players" });
    await caller.apiKeys.create({ name: "backend" });

    const before = Date.now();
    const key = await caller.playground.sessionKey();
    expect(key.tenantId).toBe(tenant.id);
    expect(key.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(key.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(await verifier.verify(key.secret)).toMatchObject({ ok: true, key: { name: "Playground" } });
    expect(await verifier.verify(key.secret, key.expiresAt.getTime() + 1000)).toMatchObject({
      ok: false,
      reason: "expired",
    });

    const row = await db.apiKey.findFirstOrThrow({ where: { id: key.id, tenantId: tenant.id } });
    expect(row).toMatchObject({ name: "Playground", sessionId: session.id, scopes: [], models: [] });
    const listed = (keys: { name: string; sessionKey: boolean }[]) =>
      keys.map(({ name, sessionKey }) => ({ name, sessionKey }));
    expect(listed(await caller.apiKeys.list())).toEqual([
      { name: "Playground", sessionKey: true },
      { name: "backend", sessionKey: false },
    ]);
    const { caller: developer } = await callerFor(redis, { tenantId: tenant.id, role: "developer" });
    expect(listed(await developer.apiKeys.list())).toEqual([{ name: "backend", sessionKey: false }]);

    const [created] = (await caller.audit.list({ action: "api_key.create", target: key.id })).events;
    expect(created?.metadata).toMatchObject({ name: "Playground", playground: true });
  });

  it("needs keys:create", async () => {
    const { caller: owner } = await callerFor(redis);
    const tenant = await owner.tenant.create({ name: "Watchers" });
    const { caller: viewer } = await callerFor(redis, { tenantId: tenant.id, role: "viewer" });
    await expect(viewer.playground.sessionKey()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { caller: developer } = await callerFor(redis, { tenantId: tenant.id, role: "developer" });
    expect((await developer.playground.sessionKey()).secret).toMatch(/^aiaas_live_/);
  });
});
