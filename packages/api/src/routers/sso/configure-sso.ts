import { TRPCError } from "@trpc/server";
import { checkOidcIssuer, configureSso, loadIdpMetadata, ssoConnectionInput } from "@aiaas/core/sso";
import { scopedProcedure } from "../../trpc.ts";

/**
 * Sets the organisation's identity provider (owners). An OIDC issuer must
 * answer its discovery document, and SAML metadata must parse, before
 * anything is saved: a typo is shown here, not at someone's next sign-in.
 * Requiring SSO takes an owner signed in through it (it is known to work:
 * nobody is locked out by a broken IdP), and ends the members' sessions that
 * were not.
 */
export const configure = scopedProcedure("sso:manage")
  .input(ssoConnectionInput)
  .mutation(async ({ ctx, input }) => {
    const tenantId = ctx.tenant.id;
    const before = await ctx.db.ssoConnection.findUnique({ where: { tenantId }, select: { enforced: true } });
    const enforcing = input.enforced && !before?.enforced;
    if (enforcing && ctx.session.ssoTenantId !== tenantId) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message:
          "Sign in through single sign-on yourself (sign out, then “Use single sign-on”) before requiring it of everyone: that shows it works.",
      });
    }
    const allowPrivate = ctx.ssoAllowPrivateIdps ?? false;
    let metadata: Awaited<ReturnType<typeof loadIdpMetadata>> | undefined;
    if (input.protocol === "oidc") {
      const problem = await checkOidcIssuer(input.issuer, allowPrivate);
      if (problem) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `${input.issuer} did not answer its OpenID discovery document (${problem}).`,
        });
      }
    } else {
      metadata = await loadIdpMetadata(input, allowPrivate);
    }
    const saved = await ctx.db.$transaction((tx) =>
      configureSso({ ...input, tenantId, metadata }, { keyring: ctx.keyring }, ctx.change, tx),
    );
    // Members signed in with a password (not operators) sign in again, through the IdP.
    const ended = enforcing
      ? await ctx.platformDb.session.deleteMany({
          where: {
            user: { role: "user", memberships: { some: { tenantId } } },
            OR: [{ ssoTenantId: null }, { ssoTenantId: { not: tenantId } }],
          },
        })
      : { count: 0 };
    return { id: saved.id, protocol: saved.protocol, issuer: saved.issuer, sessionsEnded: ended.count };
  });
