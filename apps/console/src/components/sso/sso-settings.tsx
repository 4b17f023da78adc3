"use client";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { IdentityProviderForm } from "./identity-provider-form.tsx";
import { ScimTokens } from "./scim-tokens.tsx";
import { SsoDomains } from "./sso-domains.tsx";

/** Settings → Single sign-on (owners): the identity provider, verified domains, SCIM tokens (docs/sso.md). */
export function SsoSettings() {
  const trpc = useTRPC();
  const { can } = useCurrentTenant();
  const allowed = can("sso:manage");
  const settings = useQuery({ ...trpc.sso.settings.queryOptions(), enabled: allowed });
  if (!allowed) return <Alert tone="info">Only owners set up single sign-on.</Alert>;
  if (settings.error) return <Alert tone="error">{settings.error.message}</Alert>;
  if (!settings.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Single sign-on</h1>
      <p className="max-w-2xl text-sm text-zinc-600">
        Your people sign in with your company&apos;s identity provider, join with the role their groups give them, and
        lose access when they leave. Verify your email domain first: only its addresses are sent to your IdP.
      </p>
      <SsoDomains domains={settings.data.domains} />
      <IdentityProviderForm connection={settings.data.connection} serviceProvider={settings.data.serviceProvider} />
      <ScimTokens tokens={settings.data.scimTokens} scimUrl={settings.data.scimUrl} />
    </div>
  );
}
