import { z } from "zod";
import { removeMember } from "@aiaas/core/server";
import { scopedProcedure } from "../../trpc.ts";

export const remove = scopedProcedure("members:manage")
  .input(z.object({ membershipId: z.string().min(1) }))
  .mutation(async ({ ctx, input }) => {
    await ctx.db.$transaction((tx) =>
      removeMember({ tenantId: ctx.tenant.id, actorRole: ctx.role, ...input }, ctx.change, tx),
    );
    return { removed: input.membershipId };
  });
