import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";

import { type StripeClient } from "@aiaas/core/stripe";
import { newId } from "@aiaas/core/platform";
import { createScimToken } from "@aiaas/core/scim";
import { StripeFake, fakeStripeClient, testContext, testDb, testRedisUrl } from "@aiaas/core/testing";
import { startOidcIdp } from "@aiaas/core/testing/sso";
import { appRouter } from "../root.ts";
import { callerFor } from "../testing/api-caller.ts";
import { insertRequest } from "../testing/usage-fixtures.ts";
import { insertRunningBatch } from "../testing/batch-fixtures.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "matrix-test");
const stripeFake = new StripeFake();
const idp = await startOidcIdp({ clientId: "c", clientSecret: "s", redirectUri: "http://localhost:3000/cb" });
let stripe: StripeClient;
beforeAll(async () => {
  await redis.connect();
  stripe = fakeStripeClient(await stripeFake.start());
});
afterAll(async () => {
  await idp.close();
  await stripeFake.stop();
  redis.disconnect();
  await db.$disconnect();
});

type Caller = Awaited<ReturnType<typeof callerFor>>["caller"];
interface TenantA {
  tenantId: string;
  keyId: string;
  membershipId: string;
  /** A's owner. */
  userId: string;
  invitationId: string;
  /** A request of A's with its prompt and response stored. */
  requestId: string;
  /** A running batch of A's, and its input file. */
  batchId: string;
  fileId: string;
  /** A SCIM token of A's. */
  scimTokenId: string;
  /** A domain A claimed (not verified yet: anyone may claim it too). */
  domainId: string;
  domain: string;
}

/**
 * Every procedure, called by a member (owner) of tenant B with tenant A's ids
 * wherever it takes an id. A procedure missing here fails the test: adding
 * one means saying how it could be aimed at another tenant.
 */
const attacks: Record<string, (caller: Caller, a: TenantA) => Promise<unknown>> = {
  "system.health": (caller) => caller.system.health(),
  "tenant.create": (caller) => caller.tenant.create({ name: "Mallory" }),
  "tenant.mine": (caller) => caller.tenant.mine(),
  "tenant.current": (caller) => caller.tenant.current(),
  "tenant.switchTo": (caller, a) => caller.tenant.switchTo({ tenantId: a.tenantId }),
  "tenant.settings": (caller) => caller.tenant.settings(),
  "tenant.update": (caller) => caller.tenant.update({ name: "Renamed", retention: "days_30" }),
  "apiKeys.list": (caller) => caller.apiKeys.list(),
  "apiKeys.create": (caller) => caller.apiKeys.create({ name: "mallory" }),
  "apiKeys.revoke": (caller, a) => caller.apiKeys.revoke({ keyId: a.keyId }),
  "apiKeys.roll": (caller, a) => caller.apiKeys.roll({ keyId: a.keyId, graceHours: 0 }),
  "audit.list": (caller, a) => caller.audit.list({ target: a.keyId }),
  "members.list": (caller) => caller.members.list(),
  "members.invite": (caller) => caller.members.invite({ email: "friend@example.com", role: "viewer" }),
  "members.changeRole": (caller, a) => caller.members.changeRole({ membershipId: a.membershipId, role: "viewer" }),
  "members.remove": (caller, a) => caller.members.remove({ membershipId: a.membershipId }),
  "members.cancelInvite": (caller, a) => caller.members.cancelInvite({ invitationId: a.invitationId }),
  "invitations.get": (caller, a) => caller.invitations.get({ invitationId: a.invitationId }),
  "invitations.accept": (caller, a) => caller.invitations.accept({ invitationId: a.invitationId }),
  "models.available": (caller) => caller.models.available(),
  "usage.daily": (caller) => caller.usage.daily(),
  "usage.breakdown": (caller) => caller.usage.breakdown(),
  "usage.recent": (caller) => caller.usage.recent(),
  "usage.request": (caller, a) => caller.usage.request({ requestId: a.requestId }),
  "usage.readStored": (caller, a) => caller.usage.readStored({ requestId: a.requestId }),
  "batches.list": (caller) => caller.batches.list(),
  "batches.cancel": (caller, a) => caller.batches.cancel({ batchId: a.batchId }),
  "batches.readFile": (caller, a) => caller.batches.readFile({ fileId: a.fileId }),
  "playground.sessionKey": (caller) => caller.playground.sessionKey(),
  "quotas.overview": (caller) => caller.quotas.overview(),
  "quotas.setKeyLimits": (caller, a) => caller.quotas.setKeyLimits({ keyId: a.keyId, limits: { rpm: 1 } }),
  "admin.tenants": (caller) => caller.admin.tenants({}),
  "admin.tenant": (caller, a) => caller.admin.tenant({ tenantId: a.tenantId }),
  "admin.setStatus": (caller, a) => caller.admin.setStatus({ tenantId: a.tenantId, status: "suspended" }),
  "admin.setUserStatus": (caller, a) => caller.admin.setUserStatus({ userId: a.userId, status: "suspended" }),
  "admin.workers": (caller) => caller.admin.workers(),
  "admin.plans": (caller) => caller.admin.plans(),
  "admin.setPlanLimits": (caller) => caller.admin.setPlanLimits({ planId: "free", limits: { rpm: 1 } }),
  "admin.tenantQuota": (caller, a) => caller.admin.tenantQuota({ tenantId: a.tenantId }),
  "admin.setTenantQuota": (caller, a) =>
    caller.admin.setTenantQuota({ tenantId: a.tenantId, limits: { rpm: 1_000_000 } }),
  "admin.liveUsage": (caller) => caller.admin.liveUsage(),
  "admin.billing": (caller) => caller.admin.billing(),
  "admin.grantCredits": (caller, a) =>
    caller.admin.grantCredits({ tenantId: a.tenantId, amountUsd: 100, reason: "mallory" }),
  "admin.prices": (caller) => caller.admin.prices(),
  "admin.setModelPrice": (caller) =>
    caller.admin.setModelPrice({ model: "kjv-gpt-mini", inputUsdPer1k: 0, outputUsdPer1k: 0, imageUsd: 0 }),
  "admin.setPlanTerms": (caller) => caller.admin.setPlanTerms({ planId: "free", priceMonthlyUsd: 0 }),
  "admin.createPlan": (caller) => caller.admin.createPlan({ slug: "mallory-plan", name: "Mallory" }),
  "admin.setModelAccess": (caller, a) =>
    caller.admin.setModelAccess({ tenantId: a.tenantId, model: "echo", enabled: true }),
  "admin.usageDeadLetters": (caller) => caller.admin.usageDeadLetters(),
  "admin.models": (caller) => caller.admin.models(),
  "admin.setModelStatus": (caller) => caller.admin.setModelStatus({ model: "kjv-gpt-mini", status: "disabled" }),
  "admin.pullModel": (caller) => caller.admin.pullModel({ hubId: "test/never-pulled" }),
  "admin.modelPulls": (caller) => caller.admin.modelPulls(),
  "admin.promoteModelVersion": (caller) =>
    caller.admin.promoteModelVersion({ slug: "kjv-gpt-mini", version: "int8", force: true }),
  "billing.overview": (caller) => caller.billing.overview(),
  "billing.invoice": (caller) => caller.billing.invoice({}),
  "billing.checkout": (caller) => caller.billing.checkout({ kind: "top_up", amountUsd: 10 }),
  "billing.portal": (caller) => caller.billing.portal(),
  "sso.settings": (caller) => caller.sso.settings(),
  "sso.configure": (caller) =>
    caller.sso.configure({ protocol: "oidc", issuer: idp.issuer, clientId: "c", clientSecret: "s" }),
  "sso.remove": (caller) => caller.sso.remove(),
  "sso.addDomain": (caller, a) => caller.sso.addDomain({ domain: a.domain }),
  "sso.checkDomain": (caller, a) => caller.sso.checkDomain({ domainId: a.domainId }),
  "sso.removeDomain": (caller, a) => caller.sso.removeDomain({ domainId: a.domainId }),
  "sso.createScimToken": (caller) => caller.sso.createScimToken({ name: "mallory" }),
  "sso.revokeScimToken": (caller, a) => caller.sso.revokeScimToken({ tokenId: a.scimTokenId }),
};

async function snapshotOf(tenantId: string) {
  return JSON.stringify({
    tenant: await db.tenant.findUnique({ where: { id: tenantId } }),
    keys: await db.apiKey.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    members: await db.membership.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    invitations: await db.invitation.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    override: await db.quotaOverride.findUnique({ where: { tenantId } }),
    ledger: await db.ledgerEntry.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    models: await db.tenantModel.findMany({ where: { tenantId }, orderBy: { modelId: "asc" } }),
    audit: await db.auditEvent.count({ where: { chain: tenantId } }),
    batches: await db.batch.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    sso: await db.ssoConnection.findUnique({ where: { tenantId } }),
    domains: await db.ssoDomain.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    scimTokens: await db.scimToken.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
  });
}

describe("cross-tenant matrix", () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();

  it("has an entry for every procedure of the router", () => {
    expect(procedures).toEqual(Object.keys(attacks).sort());
  });

  it.each(procedures)("%s, called from tenant B with tenant A's ids, neither reveals nor changes A", async (path) => {
    const { caller: ownerA } = await callerFor(redis, { stripe });
    const a = await ownerA.tenant.create({ name: "Victim" });
    const key = await ownerA.apiKeys.create({ name: "victim-key" });
    const invitation = await ownerA.members.invite({ email: "someone-else@example.com", role: "admin" });
    const [membership] = (await ownerA.members.list()).members;
    await ownerA.tenant.update({ retention: "days_30" });
    const requestId = await insertRequest(db, {
      tenantId: a.id,
      apiKeyId: key.id,
      prompt: { messages: [{ role: "user", content: "victim's words" }] },
      response: { choices: [] },
      purgeAfter: new Date(Date.now() + 86_400_000),
    });
    const batch = await insertRunningBatch(db, { tenantId: a.id, apiKeyId: key.id });
    const domain = `victim-${newId("ssoDomain").slice(-8).toLowerCase()}.example`;
    const claimed = await db.ssoDomain.create({ data: { id: newId("ssoDomain"), tenantId: a.id, domain, token: "t" } });
    const scimToken = await db.$transaction((tx) =>
      createScimToken({ tenantId: a.id, name: "a", createdById: null, pepper: "p".repeat(32) }, testContext, tx),
    );
    const target = {
      scimTokenId: scimToken.token.id,
      domainId: claimed.id,
      domain,
      ...batch,
      tenantId: a.id,
      keyId: key.id,
      membershipId: membership?.id ?? "",
      userId: membership?.userId ?? "",
      invitationId: invitation.id,
      requestId,
    };

    const { caller: ownerB } = await callerFor(redis, { stripe });
    await ownerB.tenant.create({ name: "Attacker" });

    const before = await snapshotOf(a.id);
    const attack = attacks[path];
    if (!attack) throw new Error(`no matrix entry for ${path}`);
    const outcome = await attack(ownerB, target).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (outcome.ok) {
      const text = JSON.stringify(outcome.result, (_, value: unknown) =>
        typeof value === "bigint" ? value.toString() : value,
      );
      expect(text).not.toContain(a.id);
      expect(text).not.toContain(key.id);
      expect(text).not.toContain(requestId);
      expect(text).not.toContain(batch.batchId);
      expect(text).not.toContain(claimed.id);
      expect(text).not.toContain(scimToken.token.id);
      expect(text).not.toContain("victim's words");
    } else {
      expect(outcome.error).toMatchObject({ code: expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/) as unknown });
    }
    expect(await snapshotOf(a.id)).toBe(before);
  });
});
