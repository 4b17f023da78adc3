import type { DbOrTx } from "@aiaas/db";

/**
 * A tenant's members and, for `withInvitations` (a role that may invite),
 * its pending invitations: an invitation's id is its link, so whoever sees
 * it could accept it under the invited address.
 */
export async function listMembers(
  { tenantId, withInvitations }: { tenantId: string; withInvitations: boolean },
  db: DbOrTx,
) {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      orderBy: { createdAt: "asc" },
      include: { user: { select: { id: true, name: true, email: true, banned: true } } },
    }),
    withInvitations
      ? db.invitation.findMany({
          where: { tenantId, status: "pending", expiresAt: { gt: new Date() } },
          orderBy: { createdAt: "desc" },
          select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
        })
      : [],
  ]);
  return {
    members: members.map(({ id, role, createdAt, user }) => ({
      id,
      role,
      joinedAt: createdAt,
      userId: user.id,
      name: user.name,
      email: user.email,
      suspended: user.banned,
    })),
    invitations,
  };
}
