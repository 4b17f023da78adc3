import { createPlaygroundKey } from "@aiaas/core/keys";
import { scopedProcedure, verifiedEmail } from "../../trpc.ts";

/**
 * A key for the playground, bound to this console session and expiring in an
 * hour. The browser keeps its secret in session storage and asks again only
 * once it has expired; the keys page does not list these keys.
 */
export const sessionKey = scopedProcedure("keys:create")
  .use(verifiedEmail)
  .mutation(async ({ ctx }) => {
    const { apiKey, secret, expiresAt } = await ctx.db.$transaction((tx) =>
      createPlaygroundKey(
        { tenantId: ctx.tenant.id, sessionId: ctx.session.sessionId, userId: ctx.session.userId },
        { ...ctx.change, pepper: ctx.pepper },
        tx,
      ),
    );
    return { id: apiKey.id, tenantId: ctx.tenant.id, secret, expiresAt };
  });
