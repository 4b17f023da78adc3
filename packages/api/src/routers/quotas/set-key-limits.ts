import { z } from "zod";
import { invalidateAuthCache } from "@aiaas/core/keys";
import { setKeyLimits as applyKeyLimits } from "@aiaas/core/quota";
import { scopedProcedure } from "../../trpc.ts";
import { limitsInput, toLimitsChange } from "./limits-input.ts";

/** A key's own limits, only tighter than the organization's; gateways apply them at once. */
export const setKeyLimits = scopedProcedure("limits:manage")
  .input(z.object({ keyId: z.string().min(1), limits: limitsInput }))
  .mutation(async ({ ctx, input }) => {
    const result = await ctx.db.$transaction((tx) =>
      applyKeyLimits(
        { tenantId: ctx.tenant.id, keyId: input.keyId, change: toLimitsChange(input.limits) },
        ctx.change,
        tx,
      ),
    );
    await invalidateAuthCache(ctx.redis, { keyHash: result.keyHash });
    return { keyId: result.keyId };
  });
