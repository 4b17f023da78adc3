import type { Prisma, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import type { TenantKeyring } from "../crypto/tenant-keyring.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { idpFetch } from "./idp-fetch.ts";
import { parseIdpMetadata, type IdpMetadata } from "./saml-metadata.ts";
import type { SsoConnectionInput } from "./sso-connection-input.ts";

/** What seals a client secret to its tenant and connection (envelope associated data). */
export const clientSecretContext = (tenantId: string, connectionId: string) =>
  `sso-client-secret:${tenantId}:${connectionId}`;

export interface SsoDependencies {
  keyring: TenantKeyring;
  /** SSO_ALLOW_PRIVATE_IDPS: IdPs on private addresses and plain http (development and tests). */
  allowPrivateIdps: boolean;
}

/** SAML metadata as given, or fetched from where the owner said it is. */
export async function loadIdpMetadata(
  input: { metadataXml?: string | undefined; metadataUrl?: string | undefined },
  allowPrivate: boolean,
): Promise<IdpMetadata> {
  if (input.metadataXml) return parseIdpMetadata(input.metadataXml);
  if (!input.metadataUrl) throw new DomainError("invalid_input", "Give the IdP's metadata: its XML or its URL.");
  const response = await idpFetch(allowPrivate)(input.metadataUrl).catch((error: unknown) => {
    if (error instanceof DomainError) throw error;
    throw new DomainError("invalid_input", `The metadata at ${input.metadataUrl} could not be fetched.`);
  });
  if (!response.ok) {
    throw new DomainError("invalid_input", `The metadata at ${input.metadataUrl} answered ${response.status}.`);
  }
  return parseIdpMetadata(await response.text());
}

/**
 * Sets a tenant's identity provider (one per tenant; owners only, checked by
 * the caller). The OIDC client secret is sealed with the tenant's data key;
 * SAML settings come from the IdP's metadata (`metadata`, loaded beforehand,
 * outside the transaction). Audited without any secret.
 */
export async function configureSso(
  input: SsoConnectionInput & { tenantId: string; metadata?: IdpMetadata },
  deps: Pick<SsoDependencies, "keyring">,
  ctx: ChangeContext,
  tx: Tx,
) {
  const existing = await tx.ssoConnection.findUnique({ where: { tenantId: input.tenantId } });
  const id = existing?.id ?? newId("ssoConnection");
  const shared = {
    emailClaim: input.emailClaim,
    groupsClaim: input.groupsClaim,
    roleMapping: input.roleMapping as Prisma.InputJsonValue,
    defaultRole: input.defaultRole,
    enforced: input.enforced,
  };
  let fields: Omit<Prisma.SsoConnectionUncheckedCreateInput, "id" | "tenantId">;
  if (input.protocol === "oidc") {
    const keepSecret = existing?.protocol === "oidc" && existing.clientSecret;
    if (!input.clientSecret && !keepSecret) {
      throw new DomainError("invalid_input", "Enter the client secret the IdP gave you.");
    }
    const secret = input.clientSecret
      ? new Uint8Array(
          await deps.keyring.seal(
            input.tenantId,
            Buffer.from(input.clientSecret),
            clientSecretContext(input.tenantId, id),
          ),
        )
      : keepSecret;
    fields = {
      protocol: "oidc",
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecret: secret || null,
      scopes: input.scopes,
      ssoUrl: null,
      idpCertificates: null,
      ...shared,
    };
  } else {
    if (!input.metadata) throw new DomainError("invalid_input", "Give the IdP's metadata: its XML or its URL.");
    fields = {
      protocol: "saml",
      issuer: input.metadata.entityId,
      clientId: null,
      clientSecret: null,
      ssoUrl: input.metadata.ssoUrl,
      idpCertificates: input.metadata.certificates.join("\n"),
      ...shared,
    };
  }
  const saved = await tx.ssoConnection.upsert({
    where: { tenantId: input.tenantId },
    create: { id, tenantId: input.tenantId, ...fields },
    update: fields,
  });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: existing ? "sso.update" : "sso.configure",
      targetType: "sso_connection",
      targetId: saved.id,
      metadata: {
        protocol: saved.protocol,
        issuer: saved.issuer,
        ...(saved.clientId && { clientId: saved.clientId }),
        clientSecretChanged: input.protocol === "oidc" && Boolean(input.clientSecret),
        roleMapping: input.roleMapping,
        defaultRole: input.defaultRole,
        enforced: input.enforced,
      },
    },
    ctx,
    tx,
  );
  return saved;
}

/** Removes a tenant's identity provider: its people sign in with passwords again. */
export async function removeSso(input: { tenantId: string }, ctx: ChangeContext, tx: Tx) {
  const existing = await tx.ssoConnection.findUnique({ where: { tenantId: input.tenantId } });
  if (!existing) return false;
  await tx.ssoConnection.delete({ where: { id: existing.id } });
  await appendAuditEvent(
    { tenantId: input.tenantId, action: "sso.remove", targetType: "sso_connection", targetId: existing.id },
    ctx,
    tx,
  );
  return true;
}
