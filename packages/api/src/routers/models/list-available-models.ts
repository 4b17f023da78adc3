import { tenantProcedure } from "../../trpc.ts";

/** Models the active organisation may use: active ones, restricted ones only where granted. */
export const available = tenantProcedure.query(({ ctx }) =>
  ctx.db.model.findMany({
    where: {
      status: "active",
      OR: [{ restricted: false }, { tenantAccess: { some: { tenantId: ctx.tenant.id, enabled: true } } }],
    },
    orderBy: { slug: "asc" },
    select: { slug: true, displayName: true, task: true },
  }),
);
