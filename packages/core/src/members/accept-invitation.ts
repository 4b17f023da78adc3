import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";

/** A pending invitation addressed to `email`, or a not_found / conflict error saying why not. */
export async function findInvitationFor(invitationId: string, email: string, tx: Tx) {
  const invitation = await tx.invitation.findUnique({
    where: { id: invitationId },
    include: { tenant: { select: { id: true, name: true } }, inviter: { select: { name: true, email: true } } },
  });
  if (!invitation || invitation.email.toLowerCase() !== email.toLowerCase()) {
    throw new DomainError("not_found", "This invitation does not exist or is for another email address.");
  }
  if (invitation.status !== "pending")
    throw new DomainError("conflict", `This invitation was already ${invitation.status}.`);
  if (invitation.expiresAt <= new Date())
    throw new DomainError("conflict", "This invitation has expired. Ask for a new one.");
  return invitation;
}

/** The signed-in invitee joins the tenant with the invited role. */
export async function acceptInvitation(
  input: { invitationId: string; userId: string; email: string },
  ctx: ChangeContext,
  tx: Tx,
) {
  const invitation = await findInvitationFor(input.invitationId, input.email, tx);
  const existing = await tx.membership.findUnique({
    where: { tenantId_userId: { tenantId: invitation.tenantId, userId: input.userId } },
    select: { id: true },
  });
  if (existing) throw new DomainError("conflict", "You are already a member of this organisation.");
  const membership = await tx.membership.create({
    data: { id: newId("membership"), tenantId: invitation.tenantId, userId: input.userId, role: invitation.role },
  });
  await tx.invitation.update({ where: { id: invitation.id }, data: { status: "accepted" } });
  await appendAuditEvent(
    {
      tenantId: invitation.tenantId,
      action: "member.join",
      targetType: "membership",
      targetId: membership.id,
      metadata: { invitationId: invitation.id, role: invitation.role },
    },
    ctx,
    tx,
  );
  return { membership, tenant: invitation.tenant };
}
