import { z } from "zod";
import { cancelInvitation } from "@aiaas/core/tenants";
import { scopedProcedure } from "../../trpc.ts";

export const cancelInvite = scopedProcedure("members:invite")
  .input(z.object({ invitationId: z.string().min(1) }))
  .mutation(async ({ ctx, input }) => {
    await ctx.db.$transaction((tx) => cancelInvitation({ tenantId: ctx.tenant.id, ...input }, ctx.change, tx));
    return { canceled: input.invitationId };
  });
