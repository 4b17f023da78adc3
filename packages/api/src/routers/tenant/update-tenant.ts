import { tenantSettingsInput, updateTenantSettings } from "@aiaas/core/server";
import { scopedProcedure } from "../../trpc.ts";

/** The active organisation's name and prompt retention. */
export const update = scopedProcedure("tenant:update")
  .input(tenantSettingsInput)
  .mutation(async ({ ctx, input }) => {
    const updated = await ctx.db.$transaction((tx) =>
      updateTenantSettings({ tenantId: ctx.tenant.id, ...input }, ctx.change, tx),
    );
    return { id: updated.id, name: updated.name, retention: updated.retention };
  });
