import { z } from "zod";
import { setPlanLimits as applyPlanLimits } from "@aiaas/core/quota";
import { operatorProcedure } from "../../trpc.ts";
import { limitsInput, toLimitsChange } from "../quotas/limits-input.ts";

/** Changes a plan's default limits; gateways apply them to its tenants within 10 s. */
export const setPlanLimits = operatorProcedure
  .input(z.object({ planId: z.string().min(1), limits: limitsInput }))
  .mutation(async ({ ctx, input }) => {
    const plan = await ctx.db.$transaction((tx) =>
      applyPlanLimits({ plan: input.planId, change: toLimitsChange(input.limits) }, ctx.change, tx),
    );
    return { id: plan.id };
  });
