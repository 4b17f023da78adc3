import { z } from "zod";
import { usageBreakdown } from "@aiaas/core/usage";
import { scopedProcedure } from "../../trpc.ts";

export const usageBreakdownInput = z
  .object({ days: z.number().int().min(1).max(90).default(30) })
  .default({ days: 30 });

/** The active tenant's usage per UTC day, key and model (for the usage page and its CSV export). */
export const breakdown = scopedProcedure("usage:read")
  .input(usageBreakdownInput)
  .query(({ ctx, input }) => usageBreakdown({ tenantId: ctx.tenant.id, days: input.days }, ctx.db));
