import type { DbOrTx, Prisma } from "@aiaas/db";

export interface AuditQuery {
  tenantId: string;
  action?: string;
  /** Matches the actor's label (e.g. an email) or id. */
  actor?: string;
  /** Matches the target's id or type. */
  target?: string;
  from?: Date;
  to?: Date;
  /** Events with a seq below this one (the previous page's last). */
  cursor?: number;
  limit: number;
}

/** One tenant's audit events, newest first, with the cursor of the next page. */
export async function listAuditEvents(query: AuditQuery, db: DbOrTx) {
  const where: Prisma.AuditEventWhereInput = {
    chain: query.tenantId,
    ...(query.action && { action: { contains: query.action } }),
    ...(query.actor && {
      OR: [{ actorLabel: { contains: query.actor, mode: "insensitive" } }, { actorId: query.actor }],
    }),
    ...(query.target && { AND: [{ OR: [{ targetId: query.target }, { targetType: query.target }] }] }),
    ...((query.from ?? query.to) && { occurredAt: { gte: query.from, lte: query.to } }),
    ...(query.cursor && { seq: { lt: query.cursor } }),
  };
  const events = await db.auditEvent.findMany({ where, orderBy: { seq: "desc" }, take: query.limit + 1 });
  const page = events.slice(0, query.limit);
  return {
    events: page.map(({ prevHash: _prev, chain: _chain, ...event }) => event),
    nextCursor: events.length > query.limit ? (page.at(-1)?.seq ?? null) : null,
  };
}
