import { z } from "zod";
import { acceptInvitation } from "@aiaas/core/tenants";
import { authedProcedure, verifiedEmail } from "../../trpc.ts";

/** Joins the organisation; it becomes the session's active one. */
export const accept = authedProcedure
  .use(verifiedEmail)
  .input(z.object({ invitationId: z.string().min(1) }))
  .mutation(async ({ ctx, input }) => {
    const { tenant } = await ctx.platformDb.$transaction(async (tx) => {
      const joined = await acceptInvitation(
        { invitationId: input.invitationId, userId: ctx.session.userId, email: ctx.session.email },
        ctx.change,
        tx,
      );
      await tx.session.update({ where: { id: ctx.session.sessionId }, data: { activeTenantId: joined.tenant.id } });
      return joined;
    });
    return { tenantId: tenant.id, tenantName: tenant.name };
  });
