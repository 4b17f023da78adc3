import { liveVersions, promoteModelVersion as promote, promoteModelVersionInput } from "@aiaas/core/models";
import { operatorProcedure } from "../../trpc.ts";

/**
 * Points a model's id (or an alias) at one of its versions: traffic moves
 * within the gateways' refresh; promoting the version before rolls back.
 * Refused, unless forced, while a live worker of the model lacks the version.
 * Audited with the versions before and after.
 */
export const promoteModelVersion = operatorProcedure
  .input(promoteModelVersionInput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction((tx) => promote(input, liveVersions(ctx.redis, ctx.queuePrefix), ctx.change, tx)),
  );
