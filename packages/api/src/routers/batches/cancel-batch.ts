import { z } from "zod";
import { cancelBatchAudited } from "@aiaas/core/batches";
import { scopedProcedure } from "../../trpc.ts";

export const cancelBatchInput = z.object({ batchId: z.string().trim().min(1).max(64) });

/** Stops a running batch (what ran is kept); audited as `batch.cancel`. */
export const cancel = scopedProcedure("batches:manage")
  .input(cancelBatchInput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction((tx) =>
      cancelBatchAudited({ tenantId: ctx.tenant.id, batchId: input.batchId }, ctx.change, tx),
    ),
  );
