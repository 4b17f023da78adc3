import { z } from "zod";
import { changeMemberRole } from "@aiaas/core/tenants";
import { scopedProcedure } from "../../trpc.ts";

export const changeRole = scopedProcedure("members:manage")
  .input(
    z.object({ membershipId: z.string().min(1), role: z.enum(["owner", "admin", "developer", "billing", "viewer"]) }),
  )
  .mutation(async ({ ctx, input }) => {
    const updated = await ctx.db.$transaction((tx) =>
      changeMemberRole({ tenantId: ctx.tenant.id, actorRole: ctx.role, ...input }, ctx.change, tx),
    );
    return { id: updated.id, role: updated.role };
  });
