import { QuotaGate, loadTenantQuota, meterTenantQuota } from "@aiaas/core/quota";
import { scopedProcedure } from "../../trpc.ts";

/** The organization's limits (plan, override) and its keys', each with what is used of it now. */
export const overview = scopedProcedure("usage:read").query(async ({ ctx }) => {
  const quota = await loadTenantQuota(ctx.db, ctx.tenant.id);
  return meterTenantQuota(new QuotaGate(ctx.redis, ctx.queuePrefix), quota);
});
