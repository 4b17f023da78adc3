import { challengeName, challengeValue } from "@aiaas/core/sso";
import { oidcRedirectUri } from "@aiaas/core/auth";
import { scopedProcedure } from "../../trpc.ts";

/**
 * The organisation's single sign-on: its identity provider (never the client
 * secret: only whether one is set), its domains with the TXT record each
 * needs, and what to register at the IdP (redirect URI, SAML ACS URL and
 * entity id).
 */
export const settings = scopedProcedure("sso:manage").query(async ({ ctx }) => {
  const [connection, domains] = await Promise.all([
    ctx.db.ssoConnection.findUnique({ where: { tenantId: ctx.tenant.id } }),
    ctx.db.ssoDomain.findMany({ where: { tenantId: ctx.tenant.id }, orderBy: { createdAt: "asc" } }),
  ]);
  const samlBase = connection ? `${ctx.consoleUrl}/api/auth/sso/saml` : null;
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
    serviceProvider: {
      oidcRedirectUri: oidcRedirectUri(ctx.consoleUrl),
      samlEntityId: samlBase && connection ? `${samlBase}/metadata/${connection.id}` : null,
      samlAcsUrl: samlBase && connection ? `${samlBase}/acs/${connection.id}` : null,
    },
  };
});
