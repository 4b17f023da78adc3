import { z } from "zod";
import { listBatches } from "@aiaas/core/batches";
import { scopedProcedure } from "../../trpc.ts";

export const listBatchesInput = z
  .object({ limit: z.number().int().min(1).max(100).default(50) })
  .default({ limit: 50 });

/** The active tenant's batches with their progress: status and counts, never a line's content. */
export const list = scopedProcedure("usage:read")
  .input(listBatchesInput)
  .query(({ ctx, input }) => listBatches({ tenantId: ctx.tenant.id, limit: input.limit }, ctx.db));
