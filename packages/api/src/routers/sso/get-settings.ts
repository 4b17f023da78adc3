import { challengeName, challengeValue, samlServiceProvider } from "@aiaas/core/sso";
import { oidcRedirectUri } from "@aiaas/core/auth";
import { scopedProcedure } from "../../trpc.ts";

/**
 * The organisation's single sign-on: its identity provider (never the client
 * secret: only whether one is set), its domains with the TXT record each
 * needs, its SCIM tokens (never their secrets), and what to register at the
 * IdP (redirect URI, SAML ACS URL and entity id, SCIM base URL).
 */
export const settings = scopedProcedure("sso:manage").query(async ({ ctx }) => {
  const [connection, domains, scimTokens] = await Promise.all([
    ctx.db.ssoConnection.findUnique({ where: { tenantId: ctx.tenant.id } }),
    ctx.db.ssoDomain.findMany({ where: { tenantId: ctx.tenant.id }, orderBy: { createdAt: "asc" } }),
    ctx.db.scimToken.findMany({
      where: { tenantId: ctx.tenant.id, revokedAt: null },
      orderBy: { createdAt: "asc" },
      omit: { tokenHash: true },
    }),
  ]);
  const saml = connection ? samlServiceProvider(ctx.consoleUrl, connection.id) : null;
  return {
    connection: connection && {
      ...connection,
      // Sealed, and never shown: only whether there is one.
      clientSecret: undefined,
      hasClientSecret: connection.clientSecret !== null,
      roleMapping: connection.roleMapping as Record<string, string>,
    },
    domains: domains.map(({ token, ...domain }) => ({
      ...domain,
      recordName: challengeName(domain.domain),
      recordValue: challengeValue(token),
    })),
    scimTokens,
    scimUrl: `${ctx.consoleUrl}/api/scim/v2`,
    serviceProvider: {
      oidcRedirectUri: oidcRedirectUri(ctx.consoleUrl),
      samlEntityId: saml?.entityId ?? null,
      samlAcsUrl: saml?.acsUrl ?? null,
    },
  };
});
