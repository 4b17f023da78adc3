import { z } from "zod";
import { findInvitationFor } from "@aiaas/core/tenants";
import { authedProcedure } from "../../trpc.ts";

/** An invitation addressed to the signed-in user: who invites them where, as what. */
export const get = authedProcedure
  .input(z.object({ invitationId: z.string().min(1) }))
  .query(async ({ ctx, input }) => {
    const invitation = await ctx.platformDb.$transaction((tx) =>
      findInvitationFor(input.invitationId, ctx.session.email, tx),
    );
    return {
      id: invitation.id,
      tenantName: invitation.tenant.name,
      role: invitation.role,
      inviter: invitation.inviter.name || invitation.inviter.email,
      expiresAt: invitation.expiresAt,
    };
  });
