import { z } from "zod";
import { setTenantQuota as applyTenantQuota } from "@aiaas/core/quota";
import { operatorProcedure } from "../../trpc.ts";
import { limitsInput, toLimitsChange } from "../quotas/limits-input.ts";

/** Overrides a tenant's plan limits (null clears one back to the plan's); gateways apply it within 10 s. */
export const setTenantQuota = operatorProcedure
  .input(
    z.object({
      tenantId: z.string().min(1),
      limits: limitsInput,
      reason: z.string().trim().max(500, "At most 500 characters.").optional(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { tenant } = await ctx.db.$transaction((tx) =>
      applyTenantQuota(
        {
          tenant: input.tenantId,
          change: toLimitsChange(input.limits),
          reason: input.reason,
          setById: ctx.session.userId,
        },
        ctx.change,
        tx,
      ),
    );
    return { tenantId: tenant.id };
  });
