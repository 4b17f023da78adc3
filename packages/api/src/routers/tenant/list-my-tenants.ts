import { authedProcedure } from "../../trpc.ts";

/** The organisations the caller belongs to, with their role in each. */
export const mine = authedProcedure.query(async ({ ctx }) => {
  const memberships = await ctx.platformDb.membership.findMany({
    where: { userId: ctx.session.userId },
    orderBy: { createdAt: "asc" },
    include: { tenant: { select: { id: true, slug: true, name: true, status: true } } },
  });
  return memberships.map(({ tenant, role }) => ({ ...tenant, role, active: tenant.id === ctx.session.activeTenantId }));
});
