import { z } from "zod";
import { invalidateAuthCache } from "@aiaas/core/keys";
import { setTenantStatus } from "@aiaas/core/tenants";
import { operatorProcedure } from "../../trpc.ts";

/** Suspends or resumes a tenant; its keys stop (or start) working at the gateways at once. */
export const setStatus = operatorProcedure
  .input(
    z.object({
      tenantId: z.string().min(1),
      status: z.enum(["active", "suspended"]),
      reason: z.string().trim().max(500).optional(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const updated = await ctx.db.$transaction((tx) =>
      setTenantStatus({ tenant: input.tenantId, status: input.status, reason: input.reason }, ctx.change, tx),
    );
    await invalidateAuthCache(ctx.redis, { tenantId: updated.id });
    return { id: updated.id, status: updated.status };
  });
