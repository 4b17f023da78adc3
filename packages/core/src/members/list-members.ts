import type { DbOrTx } from "@aiaas/db";

/** A tenant's members and its pending invitations. */
export async function listMembers({ tenantId }: { tenantId: string }, db: DbOrTx) {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      orderBy: { createdAt: "asc" },
      include: { user: { select: { name: true, email: true } } },
    }),
    db.invitation.findMany({
      where: { tenantId, status: "pending", expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    }),
  ]);
  return {
    members: members.map(({ id, role, createdAt, user }) => ({
      id,
      role,
      joinedAt: createdAt,
      name: user.name,
      email: user.email,
    })),
    invitations,
  };
}
