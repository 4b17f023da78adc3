import { z } from "zod";
import { QuotaGate, loadTenantQuota, meterTenantQuota } from "@aiaas/core/quota";
import { findTenantOrThrow } from "@aiaas/core/tenants";
import { operatorProcedure } from "../../trpc.ts";

/** One tenant's plan limits, override and keys' limits, each with its use now. */
export const tenantQuota = operatorProcedure
  .input(z.object({ tenantId: z.string().min(1) }))
  .query(async ({ ctx, input }) => {
    const tenant = await findTenantOrThrow(input.tenantId, ctx.db);
    const quota = await loadTenantQuota(ctx.db, tenant.id);
    return meterTenantQuota(new QuotaGate(ctx.redis, ctx.queuePrefix), quota);
  });
