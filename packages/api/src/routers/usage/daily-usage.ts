import { z } from "zod";
import { dailyUsage } from "@aiaas/core/usage";
import { scopedProcedure } from "../../trpc.ts";

export const dailyUsageInput = z.object({ days: z.number().int().min(1).max(90).default(30) }).default({ days: 30 });

/** Requests, errors, tokens, images and cost per UTC day of the active tenant, with totals. */
export const daily = scopedProcedure("usage:read")
  .input(dailyUsageInput)
  .query(({ ctx, input }) => dailyUsage({ tenantId: ctx.tenant.id, days: input.days }, ctx.db));
