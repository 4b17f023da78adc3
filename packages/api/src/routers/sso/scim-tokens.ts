import { z } from "zod";
import { createScimToken, revokeScimToken } from "@aiaas/core/scim";
import { recentlyAuthenticated, scopedProcedure } from "../../trpc.ts";

/** A SCIM bearer token for the organisation's IdP: its secret is shown once (like an API key's). */
export const createScimTokenProcedure = scopedProcedure("sso:manage")
  .use(recentlyAuthenticated)
  .input(z.object({ name: z.string().trim().min(1, "Name the token, e.g. Okta.").max(100) }))
  .mutation(async ({ ctx, input }) => {
    const { token, secret } = await ctx.db.$transaction((tx) =>
      createScimToken(
        { tenantId: ctx.tenant.id, name: input.name, createdById: ctx.session.userId, pepper: ctx.pepper },
        ctx.change,
        tx,
      ),
    );
    return { id: token.id, name: token.name, secret, scimUrl: `${ctx.consoleUrl}/api/scim/v2` };
  });

/** Revokes a SCIM token at once: the IdP's next request is refused. */
export const revokeScimTokenProcedure = scopedProcedure("sso:manage")
  .input(z.object({ tokenId: z.string().min(1) }))
  .mutation(async ({ ctx, input }) => {
    await ctx.db.$transaction((tx) => revokeScimToken({ tenantId: ctx.tenant.id, ...input }, ctx.change, tx));
    return { revoked: input.tokenId };
  });
