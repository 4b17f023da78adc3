import { listModelPulls, modelPullInput, requestModelPull } from "@aiaas/core/models";
import { operatorProcedure } from "../../trpc.ts";

/** Asks the workers to pull a model from their hub (a hub id, nothing else) and register it; audited. */
export const pullModel = operatorProcedure
  .input(modelPullInput)
  .mutation(({ ctx, input }) => requestModelPull(ctx.db, ctx.redis, ctx.queuePrefix, input, ctx.change));

/** The pulls of the last week with their progress, result or failure. */
export const modelPulls = operatorProcedure.query(({ ctx }) => listModelPulls(ctx.redis, ctx.queuePrefix));
