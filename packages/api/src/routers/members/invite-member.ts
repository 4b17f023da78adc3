import { z } from "zod";
import { inviteMember } from "@aiaas/core/tenants";
import { defaultAbuseLimits } from "../../context.ts";
import { scopedProcedure } from "../../trpc.ts";

export const inviteMemberInput = z.object({
  email: z.email("Enter a valid email address."),
  role: z.enum(["owner", "admin", "developer", "billing", "viewer"]),
});

export const invite = scopedProcedure("members:invite")
  .input(inviteMemberInput)
  .mutation(async ({ ctx, input }) => {
    const invitation = await ctx.db.$transaction((tx) =>
      inviteMember(
        {
          tenantId: ctx.tenant.id,
          ...input,
          inviterId: ctx.session.userId,
          inviterRole: ctx.role,
          consoleUrl: ctx.consoleUrl,
          perDay: ctx.abuseLimits?.invitationsPerDay ?? defaultAbuseLimits.invitationsPerDay,
        },
        ctx.change,
        tx,
      ),
    );
    return { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt };
  });
