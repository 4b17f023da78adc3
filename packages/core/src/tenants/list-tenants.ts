import type { DbOrTx } from "@aiaas/db";

/** Every tenant with its plan and counts: an operator view across tenants. */
export async function listTenants(db: DbOrTx) {
  const tenants = await db.tenant.findMany({
    orderBy: { createdAt: "asc" },
    include: {
      plan: { select: { slug: true } },
      _count: { select: { memberships: true, apiKeys: { where: { revokedAt: null } } } },
    },
  });
  return tenants.map((tenant) => ({
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    plan: tenant.plan?.slug ?? null,
    members: tenant._count.memberships,
    activeKeys: tenant._count.apiKeys,
    createdAt: tenant.createdAt,
  }));
}
