import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { queueEmail } from "../outbox/queue-email.ts";

export const INVITATION_DAYS = 7;

export const inviteMemberInput = z.object({
  tenantId: z.string().min(1),
  email: z.email("Enter a valid email address.").transform((email) => email.toLowerCase()),
  role: z.enum(["owner", "admin", "developer", "billing", "viewer"]),
  inviterId: z.string().min(1),
  /** The inviter's own role: only owners may invite owners. */
  inviterRole: z.enum(["owner", "admin", "developer", "billing", "viewer"]),
  /** Base URL of the console, for the link in the mail. */
  consoleUrl: z.url(),
  /** Invitations the tenant may send in 24 hours: each is a mail to anyone, so a spammer's tool. */
  perDay: z.number().int().min(1).default(20),
});
export type InviteMemberInput = z.input<typeof inviteMemberInput>;

/** Invites someone by email; the mail (outbox) carries the link to accept. */
export async function inviteMember(rawInput: InviteMemberInput, ctx: ChangeContext, tx: Tx) {
  const input = inviteMemberInput.parse(rawInput);
  if (input.role === "owner" && input.inviterRole !== "owner") {
    throw new DomainError("forbidden", "Only owners can invite owners.");
  }
  // The tenant's row locked: parallel invitations are counted one after another.
  await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${input.tenantId} FOR UPDATE`;
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { name: true } });
  const sentToday = await tx.invitation.count({
    where: { tenantId: input.tenantId, createdAt: { gt: new Date(Date.now() - 86_400_000) } },
  });
  if (sentToday >= input.perDay) {
    throw new DomainError(
      "rate_limited",
      `This organisation has sent ${sentToday} invitations in the last 24 hours, the most allowed. Try again tomorrow.`,
    );
  }
  const member = await tx.membership.findFirst({
    where: { tenantId: input.tenantId, user: { email: { equals: input.email, mode: "insensitive" } } },
    select: { id: true },
  });
  if (member) throw new DomainError("conflict", `${input.email} is already a member.`);
  const pending = await tx.invitation.findFirst({
    where: { tenantId: input.tenantId, email: input.email, status: "pending", expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  if (pending) throw new DomainError("conflict", `${input.email} already has a pending invitation.`);

  const invitation = await tx.invitation.create({
    data: {
      id: newId("invitation"),
      tenantId: input.tenantId,
      email: input.email,
      role: input.role,
      inviterId: input.inviterId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    },
  });
  const link = `${input.consoleUrl.replace(/\/$/, "")}/invitations/${invitation.id}`;
  await queueEmail(
    {
      to: input.email,
      tenantId: input.tenantId,
      kind: "invitation",
      subject: `You are invited to ${tenant.name} on aiaas`,
      text: `${ctx.actor.label} invited you to join ${tenant.name} as ${input.role}.\n\nAccept the invitation (valid ${INVITATION_DAYS} days):\n${link}`,
    },
    tx,
  );
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "member.invite",
      targetType: "invitation",
      targetId: invitation.id,
      metadata: { email: input.email, role: input.role },
    },
    ctx,
    tx,
  );
  return invitation;
}
