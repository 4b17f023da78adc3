import { z } from "zod";
import { getRequestDetail } from "@aiaas/core/usage";
import { scopedProcedure } from "../../trpc.ts";

export const requestDetailInput = z.object({ requestId: z.string().trim().min(1).max(64) });

/** One request's metadata and whether its prompt and response are still stored; never their text. */
export const request = scopedProcedure("usage:read")
  .input(requestDetailInput)
  .query(({ ctx, input }) => getRequestDetail({ tenantId: ctx.tenant.id, requestId: input.requestId }, ctx.db));
