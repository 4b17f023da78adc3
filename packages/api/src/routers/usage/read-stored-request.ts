import { z } from "zod";
import { readStoredRequest } from "@aiaas/core/usage";
import { scopedProcedure } from "../../trpc.ts";

export const readStoredRequestInput = z.object({ requestId: z.string().trim().min(1).max(64) });

/**
 * Decrypts a request's stored prompt and response, audited as
 * `request.prompt.read`. A mutation, not a query: it writes an audit event,
 * so it must not run on a prefetch or a refetch, and it takes the console's
 * same-origin check for mutations.
 */
export const readStored = scopedProcedure("prompts:read")
  .input(readStoredRequestInput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction((tx) =>
      readStoredRequest(
        { tenantId: ctx.tenant.id, requestId: input.requestId },
        { ...ctx.change, keyring: ctx.keyring },
        tx,
      ),
    ),
  );
