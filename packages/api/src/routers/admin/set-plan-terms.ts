import { z } from "zod";
import { setPlanTerms as applyTerms, usdToMicros } from "@aiaas/core/billing";
import { operatorProcedure } from "../../trpc.ts";

const usd = z.number().min(0, "An amount cannot be negative.").max(1_000_000);
const stripePrice = z.string().trim().startsWith("price_", "A Stripe price id starts with price_.").nullish();

/** Changes a plan's monthly price, included usage, payment mode, sale status or Stripe prices (audited). */
export const setPlanTerms = operatorProcedure
  .input(
    z.object({
      planId: z.string().min(1),
      priceMonthlyUsd: usd.optional(),
      includedUsageUsd: usd.optional(),
      prepaid: z.boolean().optional(),
      active: z.boolean().optional(),
      stripePriceId: stripePrice,
      stripeMeteredPriceId: stripePrice,
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { planId, priceMonthlyUsd, includedUsageUsd, ...rest } = input;
    const plan = await ctx.db.$transaction((tx) =>
      applyTerms(
        {
          plan: planId,
          change: {
            ...rest,
            ...(priceMonthlyUsd !== undefined && { priceMonthlyMicros: usdToMicros(priceMonthlyUsd) }),
            ...(includedUsageUsd !== undefined && { includedUsageMicros: usdToMicros(includedUsageUsd) }),
          },
        },
        ctx.change,
        tx,
      ),
    );
    return { id: plan.id };
  });
