import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { callerFor } from "../../testing/api-caller.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "members-test");
beforeAll(() => redis.connect());
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

async function tenantWithOwner() {
  const owner = await callerFor(redis);
  const tenant = await owner.caller.tenant.create({ name: "Team" });
  return { owner, tenant };
}

describe("members and invitations", () => {
  it("invites by email, mails a working link, and the invitee joins with the role", async () => {
    const { owner, tenant } = await tenantWithOwner();
    const invitee = await callerFor(redis);
    const invitation = await owner.caller.members.invite({ email: invitee.user.email, role: "developer" });

    const mail = await db.outboxEmail.findFirstOrThrow({
      where: { toAddress: invitee.user.email, kind: "invitation" },
    });
    expect(mail.textBody).toContain(`http://localhost:3000/invitations/${invitation.id}`);
    expect(await invitee.caller.invitations.get({ invitationId: invitation.id })).toMatchObject({
      tenantName: "Team",
      role: "developer",
    });

    expect(await invitee.caller.invitations.accept({ invitationId: invitation.id })).toEqual({
      tenantId: tenant.id,
      tenantName: "Team",
    });
    expect(await invitee.caller.tenant.current()).toMatchObject({ role: "developer", tenant: { id: tenant.id } });
    await expect(invitee.caller.invitations.accept({ invitationId: invitation.id })).rejects.toMatchObject({
      message: "This invitation was already accepted.",
    });
    const { members, invitations } = await owner.caller.members.list();
    expect(members.map((member) => member.role)).toEqual(["owner", "developer"]);
    expect(invitations).toEqual([]);
  });

  it("cannot be taken over: a viewer does not see it, and signing up with the invited address is not enough", async () => {
    const { owner, tenant } = await tenantWithOwner();
    const victim = `victim-${Date.now()}@example.com`;
    const invitation = await owner.caller.members.invite({ email: victim, role: "admin" });
    const viewer = await callerFor(redis, { tenantId: tenant.id, role: "viewer" });
    expect((await viewer.caller.members.list()).invitations).toEqual([]);
    // An attacker who learnt the link signs up with the invited address, which they cannot verify.
    const attacker = await callerFor(redis, { email: victim, emailVerified: false });
    await expect(attacker.caller.invitations.accept({ invitationId: invitation.id })).rejects.toThrow(
      /^Confirm your email address first/,
    );
    expect(await db.membership.count({ where: { tenantId: tenant.id } })).toBe(2);
    // Nor can the unverified account make itself a tenant, keys or a playground key.
    await expect(attacker.caller.tenant.create({ name: "Elsewhere" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const unverifiedMember = await callerFor(redis, { tenantId: tenant.id, role: "owner", emailVerified: false });
    await expect(unverifiedMember.caller.apiKeys.create({ name: "k" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(unverifiedMember.caller.playground.sessionKey()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("keeps an invitation to its addressee", async () => {
    const { owner } = await tenantWithOwner();
    const invitation = await owner.caller.members.invite({ email: "someone@example.com", role: "viewer" });
    const stranger = await callerFor(redis);
    await expect(stranger.caller.invitations.accept({ invitationId: invitation.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("shows pending invitations (their ids are the links) only to roles that may invite", async () => {
    const { owner, tenant } = await tenantWithOwner();
    await owner.caller.members.invite({ email: "pending@example.com", role: "admin" });
    expect((await owner.caller.members.list()).invitations).toHaveLength(1);
    for (const role of ["viewer", "developer", "billing"] as const) {
      const member = await callerFor(redis, { tenantId: tenant.id, role });
      const { members, invitations } = await member.caller.members.list();
      expect(members.length, role).toBeGreaterThan(1);
      expect(invitations, role).toEqual([]);
    }
  });

  it("sends at most MAX_INVITATIONS_PER_DAY invitations a day from one organisation, even in parallel", async () => {
    const tenant = await createTestTenant(db, "invites");
    const { caller } = await callerFor(redis, {
      tenantId: tenant.id,
      role: "owner",
      abuseLimits: { invitationsPerDay: 4 },
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) =>
        caller.members.invite({ email: `bulk-${i}-${tenant.id}@example.com`, role: "viewer" }),
      ),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(4);
    expect(attempts.find((attempt) => attempt.status === "rejected")?.reason).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "This organisation has sent 4 invitations in the last 24 hours, the most allowed. Try again tomorrow.",
    });
    expect(await db.outboxEmail.count({ where: { tenantId: tenant.id, kind: "invitation" } })).toBe(4);
  });

  it("refuses duplicate invitations and inviting members", async () => {
    const { owner } = await tenantWithOwner();
    await owner.caller.members.invite({ email: "dup@example.com", role: "viewer" });
    await expect(owner.caller.members.invite({ email: "DUP@example.com", role: "viewer" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "dup@example.com already has a pending invitation.",
    });
    await expect(owner.caller.members.invite({ email: owner.user.email, role: "viewer" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("never lets the last owner be demoted or removed", async () => {
    const { owner, tenant } = await tenantWithOwner();
    const [self] = (await owner.caller.members.list()).members;
    const id = self?.id ?? "";
    await expect(owner.caller.members.changeRole({ membershipId: id, role: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "The last owner cannot be demoted. Make someone else an owner first.",
    });
    await expect(owner.caller.members.remove({ membershipId: id })).rejects.toMatchObject({ code: "CONFLICT" });

    const second = await callerFor(redis, { tenantId: tenant.id, role: "admin" });
    const secondId = (await owner.caller.members.list()).members.find((m) => m.email === second.user.email)?.id ?? "";
    await owner.caller.members.changeRole({ membershipId: secondId, role: "owner" });
    await owner.caller.members.changeRole({ membershipId: id, role: "admin" });
    const roles = (await db.membership.findMany({ where: { tenantId: tenant.id } })).map((m) => m.role).sort();
    expect(roles).toEqual(["admin", "owner"]);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { chain: tenant.id, action: "member.role_change", targetId: id },
    });
    expect(event.metadata).toMatchObject({ before: { role: "owner" }, after: { role: "admin" } });
  });

  it("lets only owners hand out the owner role", async () => {
    const { tenant } = await tenantWithOwner();
    const admin = await callerFor(redis, { tenantId: tenant.id, role: "admin" });
    await expect(admin.caller.members.invite({ email: "boss@example.com", role: "owner" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Only owners can invite owners.",
    });
  });

  it("takes away a removed member's access at once, their playground key too", async () => {
    const { owner, tenant } = await tenantWithOwner();
    const dev = await callerFor(redis, { tenantId: tenant.id, role: "developer" });
    expect(await dev.caller.apiKeys.list()).toEqual([]);
    const playground = await dev.caller.playground.sessionKey();
    const ownersKey = await owner.caller.playground.sessionKey();
    const devId = (await owner.caller.members.list()).members.find((m) => m.email === dev.user.email)?.id ?? "";
    await owner.caller.members.remove({ membershipId: devId });
    await expect(dev.caller.apiKeys.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: playground.id } })).revokedAt).not.toBeNull();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: ownersKey.id } })).revokedAt).toBeNull();
  });
});
