import { z } from "zod";
import { setModelAccess as applyAccess } from "@aiaas/core/tenants";
import { operatorProcedure } from "../../trpc.ts";

/** Grants a tenant a restricted model (the echo model, for load tests) or takes it away; audited. */
export const setModelAccess = operatorProcedure
  .input(z.object({ tenantId: z.string().min(1), model: z.string().min(1), enabled: z.boolean() }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction((tx) =>
      applyAccess({ tenant: input.tenantId, model: input.model, enabled: input.enabled }, ctx.change, tx),
    ),
  );
