import { tenantProcedure } from "../../trpc.ts";

/** The active organisation's settings, for every member to read. */
export const settings = tenantProcedure.query(async ({ ctx }) => {
  const tenant = await ctx.db.tenant.findUniqueOrThrow({
    where: { id: ctx.tenant.id },
    select: { name: true, slug: true, retention: true, requireMfa: true },
  });
  return tenant;
});
