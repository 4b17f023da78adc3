import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { createRedis, newId } from "@aiaas/core/platform";
import { queues } from "@aiaas/core/queue";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { startOidcIdp } from "@aiaas/core/testing/sso";
import { callerFor } from "../../testing/api-caller.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "sso-router-test");
const idp = await startOidcIdp({ clientId: "c", clientSecret: "s", redirectUri: "http://localhost:3000/cb" });
beforeAll(() => redis.connect());
afterAll(async () => {
  await idp.close();
  redis.disconnect();
});

const oidc = { protocol: "oidc", issuer: idp.issuer, clientId: "c", clientSecret: "the secret" } as const;

describe("sso procedures", () => {
  it("are for owners only; the client secret is never shown; a dead issuer is refused before saving", async () => {
    const tenant = await createTestTenant(db, "sso-owner");
    const owner = await callerFor(redis, { tenantId: tenant.id, role: "owner" });
    const admin = await callerFor(redis, { tenantId: tenant.id, role: "admin" });
    await expect(admin.caller.sso.settings()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.caller.sso.configure(oidc)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(owner.caller.sso.configure({ ...oidc, issuer: "http://127.0.0.1:9/nothing" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/did not answer its OpenID discovery document/) as unknown,
    });
    expect(await db.ssoConnection.count({ where: { tenantId: tenant.id } })).toBe(0);
    await owner.caller.sso.configure(oidc);
    const settings = await owner.caller.sso.settings();
    expect(settings.connection).toMatchObject({ issuer: idp.issuer, hasClientSecret: true });
    expect(JSON.stringify(settings)).not.toContain("the secret");
    // Changing other settings keeps the sealed secret.
    await owner.caller.sso.configure({ ...oidc, clientSecret: undefined, scopes: "openid email" });
    expect((await owner.caller.sso.settings()).connection).toMatchObject({
      scopes: "openid email",
      hasClientSecret: true,
    });
  });

  it("claims a domain as DNS names it and asks a worker to check it; twice is refused", async () => {
    const mine = await createTestTenant(db, "sso-a");
    const owner = await callerFor(redis, { tenantId: mine.id, role: "owner", queuePrefix: "ssotest" });
    const suffix = newId("ssoDomain").slice(-8).toLowerCase();
    const added = await owner.caller.sso.addDomain({ domain: ` Acme-${suffix}.EXAMPLE. ` });
    expect(added.domain).toBe(`acme-${suffix}.example`);
    const queue = new Queue(queues.domainChecks.name(), { connection: redis, prefix: "ssotest" });
    expect((await queue.getJob(added.id))?.data).toEqual({ v: 1, domainId: added.id });
    await queue.close();
    await expect(owner.caller.sso.addDomain({ domain: "not a domain" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.caller.sso.addDomain({ domain: added.domain })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("requiring SSO takes an owner signed in through it, and ends the members' password sessions (not operators')", async () => {
    const tenant = await createTestTenant(db, "sso-enforce");
    const byPassword = await callerFor(redis, { tenantId: tenant.id, role: "owner" });
    await expect(byPassword.caller.sso.configure({ ...oidc, enforced: true })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^Sign in through single sign-on yourself/) as unknown,
    });
    const member = await callerFor(redis, { tenantId: tenant.id, role: "developer" });
    const memberViaIdp = await callerFor(redis, { tenantId: tenant.id, role: "viewer", ssoTenantId: tenant.id });
    const operator = await callerFor(redis, { tenantId: tenant.id, role: "viewer", platformRole: "operator" });
    const outsider = await callerFor(redis);
    const owner = await callerFor(redis, { tenantId: tenant.id, role: "owner", ssoTenantId: tenant.id });
    const saved = await owner.caller.sso.configure({ ...oidc, enforced: true });
    expect(saved.sessionsEnded).toBe(2);
    const alive = async (session: { id: string }) => (await db.session.count({ where: { id: session.id } })) === 1;
    expect(await alive(member.session)).toBe(false);
    expect(await alive(byPassword.session)).toBe(false);
    expect(await alive(memberViaIdp.session)).toBe(true);
    expect(await alive(operator.session)).toBe(true);
    expect(await alive(outsider.session)).toBe(true);
    expect(await alive(owner.session)).toBe(true);
  });
});
