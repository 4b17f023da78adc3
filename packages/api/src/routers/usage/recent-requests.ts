import { z } from "zod";
import { listRecentRequests } from "@aiaas/core/usage";
import { scopedProcedure } from "../../trpc.ts";

export const recentRequestsInput = z
  .object({ limit: z.number().int().min(1).max(100).default(20) })
  .default({ limit: 20 });

/** The active tenant's latest API calls: metadata only (no prompt, no response). */
export const recent = scopedProcedure("usage:read")
  .input(recentRequestsInput)
  .query(({ ctx, input }) => listRecentRequests({ tenantId: ctx.tenant.id, limit: input.limit }, ctx.db));
