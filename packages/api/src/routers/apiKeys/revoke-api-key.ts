import { z } from "zod";
import { invalidateAuthCache, revokeApiKey } from "@aiaas/core/keys";
import { scopedProcedure } from "../../trpc.ts";

/** Revokes a key of the active tenant; gateways refuse it within a second. */
export const revoke = scopedProcedure("keys:revoke")
  .input(z.object({ keyId: z.string().min(1) }))
  .mutation(async ({ ctx, input }) => {
    const revoked = await ctx.db.$transaction((tx) =>
      revokeApiKey({ tenantId: ctx.tenant.id, keyId: input.keyId, revokedById: ctx.session.userId }, ctx.change, tx),
    );
    await invalidateAuthCache(ctx.redis, { keyHash: revoked.keyHash, revoked: true });
    return { id: revoked.id, revokedAt: revoked.revokedAt };
  });
