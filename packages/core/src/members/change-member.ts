import type { TenantRole, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { revokePlaygroundKeysOf } from "../keys/revoke-playground-keys.ts";

interface MemberChange {
  tenantId: string;
  membershipId: string;
  /** The role of whoever makes the change: owner grants and removals need an owner. */
  actorRole: TenantRole;
}

async function loadMember({ tenantId, membershipId }: MemberChange, tx: Tx) {
  // Serialises changes to one tenant's owners, so two demotions cannot both pass the last-owner check.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`members:${tenantId}`}, 0))`;
  const member = await tx.membership.findFirst({
    where: { id: membershipId, tenantId },
    include: { user: { select: { email: true } } },
  });
  if (!member) throw notFound("member");
  return member;
}

async function assertNotLastOwner(tenantId: string, tx: Tx, what: string) {
  const owners = await tx.membership.count({ where: { tenantId, role: "owner" } });
  if (owners <= 1)
    throw new DomainError("conflict", `The last owner cannot be ${what}. Make someone else an owner first.`);
}

export async function changeMemberRole(input: MemberChange & { role: TenantRole }, ctx: ChangeContext, tx: Tx) {
  const member = await loadMember(input, tx);
  if (member.role === input.role) return member;
  if ((member.role === "owner" || input.role === "owner") && input.actorRole !== "owner") {
    throw new DomainError("forbidden", "Only owners can grant or take away the owner role.");
  }
  if (member.role === "owner") await assertNotLastOwner(input.tenantId, tx, "demoted");
  const updated = await tx.membership.update({
    where: { id: member.id, tenantId: input.tenantId },
    data: { role: input.role },
  });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "member.role_change",
      targetType: "membership",
      targetId: member.id,
      metadata: { email: member.user.email, before: { role: member.role }, after: { role: input.role } },
    },
    ctx,
    tx,
  );
  return updated;
}

export async function removeMember(input: MemberChange, ctx: ChangeContext, tx: Tx) {
  const member = await loadMember(input, tx);
  if (member.role === "owner") {
    if (input.actorRole !== "owner") throw new DomainError("forbidden", "Only owners can remove an owner.");
    await assertNotLastOwner(input.tenantId, tx, "removed");
  }
  await tx.membership.delete({ where: { id: member.id, tenantId: input.tenantId } });
  // Their playground keys go with them: an API key would otherwise outlive their access by up to an hour.
  const revokedKeyHashes = await revokePlaygroundKeysOf({ userId: member.userId, tenantId: input.tenantId }, tx);
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "member.remove",
      targetType: "membership",
      targetId: member.id,
      metadata: { email: member.user.email, role: member.role, playgroundKeysRevoked: revokedKeyHashes.length },
    },
    ctx,
    tx,
  );
  /** What the caller must tell the gateways once this commits (invalidateAuthCache). */
  return { revokedKeyHashes };
}

export async function cancelInvitation(input: { tenantId: string; invitationId: string }, ctx: ChangeContext, tx: Tx) {
  const invitation = await tx.invitation.findFirst({
    where: { id: input.invitationId, tenantId: input.tenantId, status: "pending" },
  });
  if (!invitation) throw notFound("pending invitation");
  await tx.invitation.update({ where: { id: invitation.id, tenantId: input.tenantId }, data: { status: "canceled" } });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "member.invite_cancel",
      targetType: "invitation",
      targetId: invitation.id,
      metadata: { email: invitation.email },
    },
    ctx,
    tx,
  );
}
