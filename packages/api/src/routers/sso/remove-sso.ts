import { removeSso } from "@aiaas/core/sso";
import { scopedProcedure } from "../../trpc.ts";

/** Removes the organisation's identity provider: its people sign in with passwords again. */
export const remove = scopedProcedure("sso:manage").mutation(async ({ ctx }) => {
  const removed = await ctx.db.$transaction((tx) => removeSso({ tenantId: ctx.tenant.id }, ctx.change, tx));
  return { removed };
});
