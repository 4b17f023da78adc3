import { z } from "zod";
import { setModelStatus as setStatusOf } from "@aiaas/core/models";
import { operatorProcedure } from "../../trpc.ts";

/**
 * Retires a model, or one version of it (gateways stop offering it within
 * their refresh), or brings it back; audited.
 */
export const setModelStatus = operatorProcedure
  .input(
    z.object({
      model: z.string().min(1),
      version: z.string().min(1).optional(),
      status: z.enum(["active", "disabled"]),
    }),
  )
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction((tx) =>
      setStatusOf({ slug: input.model, version: input.version, status: input.status }, ctx.change, tx),
    ),
  );
