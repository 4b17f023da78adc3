import type { DbOrTx, Prisma } from "@aiaas/db";

export interface TenantQuery {
  /** Part of the name (any case) or of the slug. */
  search?: string;
  /** The id of the previous page's last tenant. */
  cursor?: string;
  /** At most this many; every match when omitted. */
  limit?: number;
}

/** Tenants with their plan and counts, newest first: an operator view across tenants, a page at a time. */
export async function listTenants(db: DbOrTx, query: TenantQuery = {}) {
  const search = query.search?.trim();
  const where: Prisma.TenantWhereInput = search
    ? { OR: [{ name: { contains: search, mode: "insensitive" } }, { slug: { contains: search.toLowerCase() } }] }
    : {};
  const rows = await db.tenant.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(query.cursor && { cursor: { id: query.cursor }, skip: 1 }),
    ...(query.limit && { take: query.limit + 1 }),
    include: {
      plan: { select: { slug: true } },
      _count: { select: { memberships: true, apiKeys: { where: { revokedAt: null } } } },
    },
  });
  const page = query.limit ? rows.slice(0, query.limit) : rows;
  return {
    tenants: page.map((tenant) => ({
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      plan: tenant.plan?.slug ?? null,
      members: tenant._count.memberships,
      activeKeys: tenant._count.apiKeys,
      createdAt: tenant.createdAt,
    })),
    nextCursor: query.limit && rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
