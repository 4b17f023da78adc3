import { z } from "zod";
import { createPlan as applyCreate, usdToMicros } from "@aiaas/core/billing";
import { operatorProcedure } from "../../trpc.ts";

/** A new plan (e.g. custom terms for one customer); its limits are set after, on the plans page. */
export const createPlan = operatorProcedure
  .input(
    z.object({
      slug: z.string().trim().min(1, "Give the plan a slug, e.g. acme-custom."),
      name: z.string().trim().min(1, "Give the plan a name.").max(100),
      priceMonthlyUsd: z.number().min(0, "An amount cannot be negative.").max(1_000_000).default(0),
      includedUsageUsd: z.number().min(0, "An amount cannot be negative.").max(1_000_000).default(0),
      prepaid: z.boolean().default(false),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const plan = await ctx.db.$transaction((tx) =>
      applyCreate(
        {
          slug: input.slug,
          name: input.name,
          priceMonthlyMicros: usdToMicros(input.priceMonthlyUsd),
          includedUsageMicros: usdToMicros(input.includedUsageUsd),
          prepaid: input.prepaid,
        },
        ctx.change,
        tx,
      ),
    );
    return { id: plan.id, slug: plan.slug };
  });
