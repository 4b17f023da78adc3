"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Select } from "@/components/ui/select.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { mappingText, parseMapping, roleChoices, type Role } from "./role-mapping-text.ts";

interface Connection {
  protocol: "oidc" | "saml";
  issuer: string;
  clientId: string | null;
  hasClientSecret: boolean;
  scopes: string;
  emailClaim: string;
  groupsClaim: string;
  ssoUrl: string | null;
  roleMapping: Record<string, string>;
  defaultRole: string | null;
  enforced: boolean;
}

interface ServiceProvider {
  oidcRedirectUri: string;
  samlEntityId: string | null;
  samlAcsUrl: string | null;
}

const textareaClass = "min-h-24 w-full rounded-md border border-zinc-300 px-3 py-2 font-mono text-xs";

/** The organisation's identity provider: OpenID Connect or SAML 2.0, its group → role mapping, and enforcement. */
export function IdentityProviderForm({
  connection,
  serviceProvider,
}: {
  connection: Connection | null;
  serviceProvider: ServiceProvider;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [protocol, setProtocol] = useState<"oidc" | "saml">(connection?.protocol ?? "oidc");
  const [formError, setFormError] = useState<string | null>(null);
  const refresh = { onSuccess: () => void queryClient.invalidateQueries() };
  const save = useMutation(trpc.sso.configure.mutationOptions(refresh));
  const remove = useMutation(trpc.sso.remove.mutationOptions(refresh));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = parseMapping(formText(form, "roleMapping"));
    if ("error" in parsed) return setFormError(parsed.error);
    setFormError(null);
    const common = {
      emailClaim: formText(form, "emailClaim") || "email",
      groupsClaim: formText(form, "groupsClaim") || "groups",
      roleMapping: parsed.mapping,
      defaultRole: (formText(form, "defaultRole") || null) as Role | null,
      enforced: form.get("enforced") === "on",
    };
    const secret = formText(form, "clientSecret");
    if (protocol === "oidc") {
      save.mutate({
        protocol,
        issuer: formText(form, "issuer"),
        clientId: formText(form, "clientId"),
        ...(secret && { clientSecret: secret }),
        scopes: formText(form, "scopes") || "openid email profile",
        ...common,
      });
    } else {
      const metadataUrl = formText(form, "metadataUrl");
      const metadataXml = formText(form, "metadataXml");
      save.mutate({ protocol, ...(metadataUrl && { metadataUrl }), ...(metadataXml && { metadataXml }), ...common });
    }
  }

  const oidc = protocol === "oidc";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Identity provider</CardTitle>
      </CardHeader>
      <CardBody>
        <form onSubmit={submit} className="max-w-2xl space-y-5" noValidate>
          {(formError ?? save.error ?? remove.error) && (
            <Alert tone="error">{formError ?? save.error?.message ?? remove.error?.message}</Alert>
          )}
          {save.isSuccess && <Alert tone="success">Saved. People of your verified domains can sign in with SSO.</Alert>}
          <Field id="sso-protocol" label="Protocol">
            <Select
              id="sso-protocol"
              value={protocol}
              onChange={(event) => setProtocol(event.target.value as "oidc" | "saml")}
            >
              <option value="oidc">OpenID Connect (Okta, Entra ID, Google Workspace, Keycloak)</option>
              <option value="saml">SAML 2.0</option>
            </Select>
          </Field>
          <Alert tone="info">
            {oidc ? (
              <>
                Register this redirect URI at your IdP:{" "}
                <code className="break-all">{serviceProvider.oidcRedirectUri}</code>
              </>
            ) : serviceProvider.samlAcsUrl ? (
              <>
                Entity ID: <code className="break-all">{serviceProvider.samlEntityId}</code>
                <br />
                ACS URL: <code className="break-all">{serviceProvider.samlAcsUrl}</code>
              </>
            ) : (
              "Save the IdP's metadata: the entity ID and ACS URL to register there are shown here then."
            )}
          </Alert>
          {oidc ? (
            <>
              <Field id="sso-issuer" label="Issuer URL">
                <Input
                  id="sso-issuer"
                  name="issuer"
                  defaultValue={connection?.protocol === "oidc" ? connection.issuer : ""}
                  placeholder="https://login.example.com"
                  required
                />
              </Field>
              <Field id="sso-client-id" label="Client ID">
                <Input id="sso-client-id" name="clientId" defaultValue={connection?.clientId ?? ""} required />
              </Field>
              <Field
                id="sso-client-secret"
                label="Client secret"
                hint={connection?.hasClientSecret ? "Set (never shown). Leave empty to keep it." : undefined}
              >
                <Input id="sso-client-secret" name="clientSecret" type="password" autoComplete="off" />
              </Field>
              <Field id="sso-scopes" label="Scopes">
                <Input id="sso-scopes" name="scopes" defaultValue={connection?.scopes ?? "openid email profile"} />
              </Field>
            </>
          ) : (
            <>
              <Field id="sso-metadata-url" label="IdP metadata URL">
                <Input id="sso-metadata-url" name="metadataUrl" placeholder="https://idp.example.com/metadata" />
              </Field>
              <Field id="sso-metadata-xml" label="…or the IdP metadata XML">
                <textarea id="sso-metadata-xml" name="metadataXml" className={textareaClass} />
              </Field>
              {connection?.protocol === "saml" && (
                <p className="text-xs text-zinc-500">
                  Now: {connection.issuer} (sign-in at {connection.ssoUrl}). Give the metadata again to change it.
                </p>
              )}
            </>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="sso-email-claim" label={oidc ? "Email claim" : "Email attribute"}>
              <Input id="sso-email-claim" name="emailClaim" defaultValue={connection?.emailClaim ?? "email"} />
            </Field>
            <Field id="sso-groups-claim" label={oidc ? "Groups claim" : "Groups attribute"}>
              <Input id="sso-groups-claim" name="groupsClaim" defaultValue={connection?.groupsClaim ?? "groups"} />
            </Field>
          </div>
          <Field
            id="sso-role-mapping"
            label="Groups and roles"
            hint="One per line: IdP group = role (owner, admin, developer, billing or viewer). The most trusted role wins."
          >
            <textarea
              id="sso-role-mapping"
              name="roleMapping"
              className={textareaClass}
              defaultValue={mappingText(connection?.roleMapping ?? {})}
              placeholder={"engineering = developer\nit-admins = admin"}
              aria-describedby="sso-role-mapping-hint"
            />
          </Field>
          <Field id="sso-default-role" label="People in no mapped group">
            <Select id="sso-default-role" name="defaultRole" defaultValue={connection?.defaultRole ?? ""}>
              <option value="">are not let in</option>
              {roleChoices.map((role) => (
                <option key={role} value={role}>
                  join as {role}
                </option>
              ))}
            </Select>
          </Field>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="enforced" defaultChecked={connection?.enforced ?? false} className="mt-1" />
            <span>
              Require single sign-on: members and addresses of your domains cannot use passwords (operators excepted).
            </span>
          </label>
          <div className="flex gap-2">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Checking the IdP…" : "Save"}
            </Button>
            {connection && (
              <Button type="button" variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
                Remove single sign-on
              </Button>
            )}
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
