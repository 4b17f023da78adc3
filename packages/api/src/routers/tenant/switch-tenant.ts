import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure } from "../../trpc.ts";

/** Makes one of the caller's organisations the active one for this session. */
export const switchTo = authedProcedure
  .input(z.object({ tenantId: z.string().min(1) }))
  .mutation(async ({ ctx, input }) => {
    const membership = await ctx.platformDb.membership.findUnique({
      where: { tenantId_userId: { tenantId: input.tenantId, userId: ctx.session.userId } },
      select: { tenantId: true },
    });
    if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this organisation." });
    await ctx.platformDb.session.update({
      where: { id: ctx.session.sessionId },
      data: { activeTenantId: membership.tenantId },
    });
    return { tenantId: membership.tenantId };
  });
