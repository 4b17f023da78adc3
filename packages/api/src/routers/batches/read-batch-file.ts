import { z } from "zod";
import { readBatchFile } from "@aiaas/core/batches";
import { scopedProcedure } from "../../trpc.ts";

export const readBatchFileInput = z.object({ fileId: z.string().trim().min(1).max(64) });

/**
 * A batch's input, output or error file, decrypted for download, audited as
 * `file.read`. A mutation, not a query: it writes an audit event (as reading
 * a stored prompt does).
 */
export const readFile = scopedProcedure("prompts:read")
  .input(readBatchFileInput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction((tx) =>
      readBatchFile({ tenantId: ctx.tenant.id, fileId: input.fileId }, { ...ctx.change, keyring: ctx.keyring }, tx),
    ),
  );
