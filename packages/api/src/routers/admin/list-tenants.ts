import { z } from "zod";
import { listTenants } from "@aiaas/core/tenants";
import { operatorProcedure } from "../../trpc.ts";

/** Tenants newest first, a page at a time, optionally those whose name or slug holds `search`. */
export const tenants = operatorProcedure
  .input(
    z.object({
      search: z.string().trim().max(100).optional(),
      cursor: z.string().max(64).nullish(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
  )
  .query(({ ctx, input }) =>
    listTenants(ctx.db, { search: input.search, cursor: input.cursor ?? undefined, limit: input.limit }),
  );
