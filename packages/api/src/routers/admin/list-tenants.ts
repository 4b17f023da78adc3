import { z } from "zod";
import { listTenants } from "@aiaas/core/server";
import { operatorProcedure } from "../../trpc.ts";

/** Every tenant, optionally filtered by name or slug. */
export const tenants = operatorProcedure
  .input(z.object({ search: z.string().trim().max(100).optional() }))
  .query(async ({ ctx, input }) => {
    const all = await listTenants(ctx.db);
    const needle = input.search?.toLowerCase();
    return needle
      ? all.filter((tenant) => tenant.name.toLowerCase().includes(needle) || tenant.slug.includes(needle))
      : all;
  });
