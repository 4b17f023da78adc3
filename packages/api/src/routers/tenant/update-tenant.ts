import { TRPCError } from "@trpc/server";
import { tenantSettingsInput, updateTenantSettings } from "@aiaas/core/tenants";
import { scopedProcedure } from "../../trpc.ts";

/** The active organisation's name, prompt retention, and whether its members must use two-factor sign-in. */
export const update = scopedProcedure("tenant:update")
  .input(tenantSettingsInput)
  .mutation(async ({ ctx, input }) => {
    // Requiring it without having it would shut the person out of their own organisation.
    if (input.requireMfa && !ctx.session.twoFactorEnabled) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "Set up two-factor sign-in for yourself (your account page) before requiring it of everyone.",
      });
    }
    const updated = await ctx.db.$transaction((tx) =>
      updateTenantSettings({ tenantId: ctx.tenant.id, ...input }, ctx.change, tx),
    );
    return { id: updated.id, name: updated.name, retention: updated.retention, requireMfa: updated.requireMfa };
  });
