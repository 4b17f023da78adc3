import type { Db, SsoConnection, TenantRole } from "@aiaas/db";
import { systemActor, type ChangeContext } from "../actor.ts";
import { newId } from "../ids.ts";
import { syncMembership } from "./member-role-sync.ts";
import { roleForGroups, type RoleMapping } from "./role-mapping.ts";
import { SsoRefusal } from "./sso-refusal.ts";
import { personForTenant } from "./tenant-person.ts";

/** Who the identity provider says signed in. */
export interface SsoIdentity {
  /** The IdP's stable id of the person (OIDC `sub`, SAML NameID). */
  subject: string;
  email: string;
  name: string;
  groups: string[];
  /** When the IdP says it authenticated the person (ms; OIDC `auth_time`, SAML AuthnInstant), if it says. */
  authenticatedAt?: number | undefined;
}

export const ssoProviderId = (connectionId: string) => `sso:${connectionId}`;
export const mappingOf = (connection: SsoConnection): RoleMapping => ({
  groups: connection.roleMapping as Record<string, TenantRole>,
  defaultRole: connection.defaultRole,
});

/**
 * Just-in-time membership (one transaction): the person the IdP signed in
 * becomes, or stays, a member of the connection's tenant with the role their
 * groups map to; their account is made the first time, linked to the IdP's
 * subject. Refused (SsoRefusal) when the email's domain is not one the tenant
 * verified (an IdP cannot speak for other people's addresses), when the
 * account is an operator's, or when their groups give them no role, which
 * also ends a membership they had.
 */
export async function provisionSsoMember(db: Db, connection: SsoConnection, identity: SsoIdentity) {
  const email = identity.email.trim().toLowerCase();
  const tenantId = connection.tenantId;
  const provisioning: ChangeContext = { actor: systemActor(`sso:${connection.protocol}`) };
  return db.$transaction(async (tx) => {
    const providerId = ssoProviderId(connection.id);
    const linked = await tx.account.findUnique({
      where: { providerId_accountId: { providerId, accountId: identity.subject } },
      select: { user: true },
    });
    const role = roleForGroups(identity.groups, mappingOf(connection));
    const user = await personForTenant(tx, {
      tenantId,
      email,
      name: identity.name,
      existing: linked?.user ?? null,
      create: role !== null,
    });
    if (!user) throw new SsoRefusal("no_role", "Your groups at your identity provider give you no role here.");
    if (!linked) {
      await tx.account.create({
        data: { id: newId("account"), userId: user.id, providerId, accountId: identity.subject },
      });
    }
    const synced = await syncMembership(
      { tenantId, userId: user.id, email, role, via: connection.protocol, groups: identity.groups },
      provisioning,
      tx,
    );
    // Committed: the membership ends even though the sign-in is refused.
    if (!synced.role) return { refused: true as const, revokedKeyHashes: synced.revokedKeyHashes };
    return { refused: false as const, userId: user.id, email, tenantId, role: synced.role };
  });
}
