import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, newId } from "@aiaas/core/platform";
import { type StripeClient } from "@aiaas/core/stripe";
import { registerModel } from "@aiaas/core/models";
import { createScimToken } from "@aiaas/core/scim";
import { configureSso, ssoConnectionInput } from "@aiaas/core/sso";
import { StripeFake, fakeStripeClient, testContext, testDb, testRedisUrl } from "@aiaas/core/testing";
import { startOidcIdp } from "@aiaas/core/testing/sso";
import { appRouter } from "../root.ts";
import { callerFor, testKeyring } from "../testing/api-caller.ts";
import { insertRequest } from "../testing/usage-fixtures.ts";
import { insertRunningBatch } from "../testing/batch-fixtures.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "audit-per-mutation");
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
interface Setup {
  owner: Caller;
  operator: Caller;
  tenantId: string;
  keyId: string;
  invitationId: string;
  otherMemberId: string;
  otherUserId: string;
  /** The invitee's caller and their invitation into the tenant. */
  invitee: Caller;
  inviteeInvitationId: string;
  /** A request of the tenant with its prompt stored. */
  requestId: string;
  /** A running batch of the tenant, and its input file. */
  batchId: string;
  fileId: string;
  /** A plan of this test's own, so changing its limits touches no other test's tenants. */
  planId: string;
  /** Everyone who acts in the test; no other test file uses these users. */
  actorIds: string[];
}

/** A valid call of every mutation; the test fails for a mutation missing here. */
const mutations: Record<string, (s: Setup) => Promise<unknown>> = {
  "tenant.create": (s) => s.owner.tenant.create({ name: "Another" }),
  "tenant.switchTo": (s) => s.owner.tenant.switchTo({ tenantId: s.tenantId }),
  "tenant.update": (s) => s.owner.tenant.update({ name: "Renamed" }),
  "apiKeys.create": (s) => s.owner.apiKeys.create({ name: "k2" }),
  "apiKeys.revoke": (s) => s.owner.apiKeys.revoke({ keyId: s.keyId }),
  "apiKeys.roll": (s) => s.owner.apiKeys.roll({ keyId: s.keyId, graceHours: 1 }),
  "members.invite": (s) => s.owner.members.invite({ email: "new-person@example.com", role: "viewer" }),
  "members.changeRole": (s) => s.owner.members.changeRole({ membershipId: s.otherMemberId, role: "billing" }),
  "members.remove": (s) => s.owner.members.remove({ membershipId: s.otherMemberId }),
  "members.cancelInvite": (s) => s.owner.members.cancelInvite({ invitationId: s.invitationId }),
  "invitations.accept": (s) => s.invitee.invitations.accept({ invitationId: s.inviteeInvitationId }),
  "usage.readStored": (s) => s.owner.usage.readStored({ requestId: s.requestId }),
  "batches.cancel": (s) => s.owner.batches.cancel({ batchId: s.batchId }),
  "batches.readFile": (s) => s.owner.batches.readFile({ fileId: s.fileId }),
  "playground.sessionKey": (s) => s.owner.playground.sessionKey(),
  "quotas.setKeyLimits": (s) => s.owner.quotas.setKeyLimits({ keyId: s.keyId, limits: { rpm: 10, budgetUsd: 1 } }),
  "admin.setStatus": (s) => s.operator.admin.setStatus({ tenantId: s.tenantId, status: "suspended" }),
  "admin.setUserStatus": (s) => s.operator.admin.setUserStatus({ userId: s.otherUserId, status: "suspended" }),
  "admin.setTenantQuota": (s) =>
    s.operator.admin.setTenantQuota({ tenantId: s.tenantId, limits: { tpm: 1000 }, reason: "pilot" }),
  "billing.checkout": (s) => s.owner.billing.checkout({ kind: "top_up", amountUsd: 20 }),
  "billing.portal": (s) => s.owner.billing.portal(),
  "admin.grantCredits": (s) =>
    s.operator.admin.grantCredits({ tenantId: s.tenantId, amountUsd: 10, reason: "service credit" }),
  "admin.setPlanTerms": (s) => s.operator.admin.setPlanTerms({ planId: s.planId, includedUsageUsd: 3, prepaid: true }),
  "admin.setModelPrice": (s) =>
    s.operator.admin.setModelPrice({
      model: "kjv-gpt-mini",
      inputUsdPer1k: 0.0001,
      outputUsdPer1k: 0.0002,
      imageUsd: 0,
      // Far ahead, and unique per run: no other test's requests are priced at it.
      effectiveFrom: new Date(Date.UTC(2100, 0, 1) + Math.floor(Math.random() * 1e9)),
    }),
  "admin.createPlan": (s) =>
    s.operator.admin.createPlan({ slug: `custom-${newId("plan").slice(-8).toLowerCase()}`, name: "Custom terms" }),
  "admin.setPlanLimits": (s) => s.operator.admin.setPlanLimits({ planId: s.planId, limits: { concurrent: 2 } }),
  "admin.setModelAccess": (s) =>
    s.operator.admin.setModelAccess({ tenantId: s.tenantId, model: "echo", enabled: true }),
  // A model of this test's own (registered by the system, not one of the actors): retiring a shipped one would touch other tests.
  "admin.setModelStatus": async (s) => {
    const { slug } = await ownModel(["a"]);
    return s.operator.admin.setModelStatus({ model: slug, status: "disabled" });
  },
  // Its second version, promoted by force (no worker holds a test's model).
  "admin.promoteModelVersion": async (s) => {
    const { slug } = await ownModel(["a", "b"]);
    return s.operator.admin.promoteModelVersion({ slug, version: "b", force: true });
  },
  // Queued on this test's own prefix, where no worker runs: the ask is what is audited.
  "admin.pullModel": (s) => s.operator.admin.pullModel({ hubId: "test/never-pulled" }),
  "sso.configure": (s) =>
    s.owner.sso.configure({ protocol: "oidc", issuer: idp.issuer, clientId: "c", clientSecret: "s" }),
  // Set up by the system (not one of the actors), then removed by the owner.
  "sso.remove": async (s) => {
    const oidc = { protocol: "oidc", issuer: idp.issuer, clientId: "c", clientSecret: "s" } as const;
    const input = ssoConnectionInput.parse(oidc);
    await db.$transaction((tx) =>
      configureSso({ ...input, tenantId: s.tenantId }, { keyring: testKeyring() }, testContext, tx),
    );
    return s.owner.sso.remove();
  },
  "sso.addDomain": (s) => s.owner.sso.addDomain({ domain: `${newId("ssoDomain").slice(-8).toLowerCase()}.example` }),
  "sso.checkDomain": async (s) => s.owner.sso.checkDomain({ domainId: await ownDomain(s.tenantId) }),
  "sso.removeDomain": async (s) => s.owner.sso.removeDomain({ domainId: await ownDomain(s.tenantId) }),
  "sso.createScimToken": (s) => s.owner.sso.createScimToken({ name: "Okta" }),
  // Made by the system (not one of the actors), then revoked by the owner.
  "sso.revokeScimToken": async (s) => {
    const made = await db.$transaction((tx) =>
      createScimToken({ tenantId: s.tenantId, name: "x", createdById: null, pepper: "p".repeat(32) }, testContext, tx),
    );
    return s.owner.sso.revokeScimToken({ tokenId: made.token.id });
  },
};

/** A domain the tenant claimed, added by the system (not one of the actors). */
async function ownDomain(tenantId: string) {
  const domain = `${newId("ssoDomain").slice(-8).toLowerCase()}.example`;
  return (await db.ssoDomain.create({ data: { id: newId("ssoDomain"), tenantId, domain, token: "t" } })).id;
}

/** A model registered by the system for one test, with these versions (the first answering its id). */
async function ownModel(versions: string[]) {
  const slug = `audit-${newId("model").slice(-8).toLowerCase()}`;
  for (const [index, version] of versions.entries()) {
    await db.$transaction((tx) =>
      registerModel(
        {
          slug,
          task: "embedding",
          displayName: slug,
          ownedBy: "test",
          contextLength: null,
          version,
          source: "file:/test",
          files: [{ path: "onnx/model.onnx", sha256: String(index).repeat(64), size: 1 }],
          manifest: {},
          price: { inputMicrosPer1k: 0n, outputMicrosPer1k: 0n, imageMicros: 0n },
        },
        testContext,
        tx,
      ),
    );
  }
  return { slug };
}

/** Switching the active tenant changes a session, not the tenant: it is not audited. */
const notAudited = new Set(["tenant.switchTo"]);

async function setup(): Promise<Setup> {
  const { caller: owner, user: ownerUser } = await callerFor(redis, { stripe });
  const tenant = await owner.tenant.create({ name: "Audited" });
  const key = await owner.apiKeys.create({ name: "k" });
  const invitation = await owner.members.invite({ email: "pending@example.com", role: "viewer" });
  const other = await callerFor(redis, { tenantId: tenant.id, role: "developer" });
  const otherMemberId = (await owner.members.list()).members.find((m) => m.email === other.user.email)?.id ?? "";
  const invitee = await callerFor(redis);
  const inviteeInvitation = await owner.members.invite({ email: invitee.user.email, role: "viewer" });
  const { caller: operator, user: operatorUser } = await callerFor(redis, {
    platformRole: "operator",
    queuePrefix: `audit${randomBytes(4).toString("hex")}`,
  });
  const requestId = await insertRequest(db, {
    tenantId: tenant.id,
    apiKeyId: key.id,
    prompt: { input: "hello" },
    purgeAfter: new Date(Date.now() + 86_400_000),
  });
  const { batchId, fileId } = await insertRunningBatch(db, { tenantId: tenant.id, apiKeyId: key.id });
  const plan = await db.plan.create({
    data: {
      id: newId("plan"),
      slug: `audit-${newId("plan").slice(-8).toLowerCase()}`,
      name: "Audit test",
      active: false,
    },
  });
  return {
    owner,
    operator,
    planId: plan.id,
    tenantId: tenant.id,
    keyId: key.id,
    invitationId: invitation.id,
    otherMemberId,
    otherUserId: other.user.id,
    invitee: invitee.caller,
    inviteeInvitationId: inviteeInvitation.id,
    requestId,
    batchId,
    fileId,
    actorIds: [ownerUser.id, operatorUser.id, invitee.user.id],
  };
}

describe("audit per mutation", () => {
  const mutationPaths = Object.entries(appRouter._def.procedures)
    // The record's values are procedures at run time; its static type is a router shape.
    .filter(([, procedure]) => (procedure as unknown as { _def: { type: string } })._def.type === "mutation")
    .map(([path]) => path)
    .sort();

  it("covers every mutation of the router", () => {
    expect(mutationPaths).toEqual(Object.keys(mutations).sort());
  });

  it.each(mutationPaths)("%s writes exactly one audit event (none when it is not a change)", async (path) => {
    const s = await setup();
    const byTheseActors = () => db.auditEvent.count({ where: { actorId: { in: s.actorIds } } });
    const before = await byTheseActors();
    await mutations[path]?.(s);
    expect(await byTheseActors()).toBe(before + (notAudited.has(path) ? 0 : 1));
  });
});
