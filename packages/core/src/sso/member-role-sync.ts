import type { TenantRole, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { changeMemberRole, removeMember } from "../members/change-member.ts";

/**
 * Makes a person's membership of a tenant what their IdP says (SSO sign-in,
 * SCIM): made with `role`, changed to it, or removed when `role` is null.
 * Each change is audited with `via` (its source). The last owner keeps the
 * owner role their IdP would take away: a tenant is never left without one.
 * Returns the role they now have (null: not a member) and the playground
 * keys a removal revoked, for the caller to tell the gateways.
 */
export async function syncMembership(
  input: { tenantId: string; userId: string; email: string; role: TenantRole | null; via: string; groups: string[] },
  ctx: ChangeContext,
  tx: Tx,
): Promise<{ role: TenantRole | null; revokedKeyHashes: string[] }> {
  const { tenantId, userId, role } = input;
  const membership = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } } });
  const change = { tenantId, membershipId: membership?.id ?? "", actorRole: "owner" as const };
  try {
    if (!role) {
      if (!membership) return { role: null, revokedKeyHashes: [] };
      const { revokedKeyHashes } = await removeMember(change, ctx, tx);
      return { role: null, revokedKeyHashes };
    }
    if (!membership) {
      const created = await tx.membership.create({ data: { id: newId("membership"), tenantId, userId, role } });
      await appendAuditEvent(
        {
          tenantId,
          action: "member.provision",
          targetType: "membership",
          targetId: created.id,
          metadata: { email: input.email, role, via: input.via, groups: input.groups.slice(0, 50) },
        },
        ctx,
        tx,
      );
      return { role, revokedKeyHashes: [] };
    }
    if (membership.role !== role) await changeMemberRole({ ...change, role }, ctx, tx);
    return { role, revokedKeyHashes: [] };
  } catch (error) {
    if (error instanceof DomainError && error.code === "conflict") return { role: "owner", revokedKeyHashes: [] };
    throw error;
  }
}
