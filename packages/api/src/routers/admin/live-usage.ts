import { z } from "zod";
import { QuotaGate, liveTenantUsage } from "@aiaas/core/quota";
import { operatorProcedure } from "../../trpc.ts";

/** Active tenants' use now against their limits, busiest first: those recently active, or those matching a search. */
export const liveUsage = operatorProcedure
  .input(z.object({ search: z.string().trim().max(100).optional() }).default({}))
  .query(({ ctx, input }) =>
    liveTenantUsage(ctx.db, new QuotaGate(ctx.redis, ctx.queuePrefix), { search: input.search || undefined }),
  );
