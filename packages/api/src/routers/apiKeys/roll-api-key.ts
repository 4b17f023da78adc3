import { z } from "zod";
import { invalidateAuthCache, rollApiKey } from "@aiaas/core/keys";
import { recentlyAuthenticated, scopedProcedure, verifiedEmail } from "../../trpc.ts";

/** A new secret for a key; the old one keeps working for the grace period (0-24 h). */
export const roll = scopedProcedure("keys:create")
  .use(verifiedEmail)
  .use(recentlyAuthenticated)
  .input(z.object({ keyId: z.string().min(1), graceHours: z.number().min(0).max(24) }))
  .mutation(async ({ ctx, input }) => {
    const rolled = await ctx.db.$transaction((tx) =>
      rollApiKey(
        { tenantId: ctx.tenant.id, ...input, rolledById: ctx.session.userId },
        { ...ctx.change, pepper: ctx.pepper },
        tx,
      ),
    );
    await invalidateAuthCache(ctx.redis, { keyHash: rolled.oldKeyHash });
    return {
      id: rolled.apiKey.id,
      name: rolled.apiKey.name,
      display: `${rolled.apiKey.prefix}…${rolled.apiKey.last4}`,
      secret: rolled.secret,
      oldKeyValidUntil: rolled.graceEndsAt,
    };
  });
