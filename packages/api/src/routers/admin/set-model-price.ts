import { z } from "zod";
import { setModelPrice as applyPrice, usdToMicros } from "@aiaas/core/billing";
import { operatorProcedure } from "../../trpc.ts";

const usd = z.number().min(0, "A price cannot be negative.").max(1_000_000);

/** Announces a model's new price (in USD), from now or a later instant; past charges keep theirs. */
export const setModelPrice = operatorProcedure
  .input(
    z.object({
      model: z.string().min(1),
      inputUsdPer1k: usd,
      outputUsdPer1k: usd,
      imageUsd: usd,
      effectiveFrom: z.date().optional(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { price } = await ctx.db.$transaction((tx) =>
      applyPrice(
        {
          model: input.model,
          inputMicrosPer1k: usdToMicros(input.inputUsdPer1k),
          outputMicrosPer1k: usdToMicros(input.outputUsdPer1k),
          imageMicros: usdToMicros(input.imageUsd),
          effectiveFrom: input.effectiveFrom,
        },
        ctx.change,
        tx,
      ),
    );
    return { id: price.id, effectiveFrom: price.effectiveFrom };
  });
