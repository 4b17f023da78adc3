import { TRPCError } from "@trpc/server";
import { checkOidcIssuer, configureSso, loadIdpMetadata, ssoConnectionInput } from "@aiaas/core/sso";
import { scopedProcedure } from "../../trpc.ts";

/**
 * Sets the organisation's identity provider (owners). An OIDC issuer must
 * answer its discovery document, and SAML metadata must parse, before
 * anything is saved: a typo is shown here, not at someone's next sign-in.
 */
export const configure = scopedProcedure("sso:manage")
  .input(ssoConnectionInput)
  .mutation(async ({ ctx, input }) => {
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
      configureSso({ ...input, tenantId: ctx.tenant.id, metadata }, { keyring: ctx.keyring }, ctx.change, tx),
    );
    return { id: saved.id, protocol: saved.protocol, issuer: saved.issuer };
  });
