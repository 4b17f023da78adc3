import { z } from "zod";
import { invalidateAuthCache } from "@aiaas/core/keys";
import { removeMember } from "@aiaas/core/tenants";
import { scopedProcedure } from "../../trpc.ts";

/** Removes a member; their playground keys are revoked with them, and gateways refuse those within a second. */
export const remove = scopedProcedure("members:manage")
  .input(z.object({ membershipId: z.string().min(1) }))
  .mutation(async ({ ctx, input }) => {
    const { revokedKeyHashes } = await ctx.db.$transaction((tx) =>
      removeMember({ tenantId: ctx.tenant.id, actorRole: ctx.role, ...input }, ctx.change, tx),
    );
    await Promise.all(revokedKeyHashes.map((keyHash) => invalidateAuthCache(ctx.redis, { keyHash, revoked: true })));
    return { removed: input.membershipId };
  });
