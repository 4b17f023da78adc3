import type { Db, SsoConnection, TenantRole, Tx } from "@aiaas/db";
import { systemActor, type ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { changeMemberRole, removeMember } from "../members/change-member.ts";
import { roleForGroups, type RoleMapping } from "./role-mapping.ts";
import { domainOfEmail } from "./sso-domains.ts";

/** Who the identity provider says signed in. */
export interface SsoIdentity {
  /** The IdP's stable id of the person (OIDC `sub`, SAML NameID). */
  subject: string;
  email: string;
  name: string;
  groups: string[];
}

/** Why someone is not let in through SSO: a code the sign-in page words (never text from a URL). */
export const ssoRefusalCodes = [
  "domain_not_verified",
  "operator",
  "no_role",
  "role_removed",
  "no_email",
  "email_unverified",
  "invalid_response",
  "expired",
  "suspended",
] as const;
export type SsoRefusalCode = (typeof ssoRefusalCodes)[number];

export class SsoRefusal extends Error {
  override name = "SsoRefusal";
  constructor(
    readonly code: SsoRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export const ssoProviderId = (connectionId: string) => `sso:${connectionId}`;
export const mappingOf = (connection: SsoConnection): RoleMapping => ({
  groups: connection.roleMapping as Record<string, TenantRole>,
  defaultRole: connection.defaultRole,
});

async function membershipFor(tenantId: string, userId: string, role: TenantRole | null, audit: ChangeContext, tx: Tx) {
  const membership = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } } });
  const change = { tenantId, membershipId: membership?.id ?? "", actorRole: "owner" as const };
  if (!role) {
    // Their groups no longer give them a role: the membership ends (the last owner stays: changeMember's rule).
    if (membership) await removeMember(change, audit, tx);
    return null;
  }
  if (!membership) {
    const created = await tx.membership.create({ data: { id: newId("membership"), tenantId, userId, role } });
    return { created };
  }
  if (membership.role !== role) await changeMemberRole({ ...change, role }, audit, tx);
  return { created: null };
}

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
  const domain = domainOfEmail(email);
  const tenantId = connection.tenantId;
  const provisioning: ChangeContext = { actor: systemActor(`sso:${connection.protocol}`) };
  return db.$transaction(async (tx) => {
    const verified = domain
      ? await tx.ssoDomain.findFirst({ where: { tenantId, domain, verifiedAt: { not: null } }, select: { id: true } })
      : null;
    if (!verified) {
      throw new SsoRefusal(
        "domain_not_verified",
        `Your identity provider signed in ${email}, whose domain this organisation has not verified.`,
      );
    }
    const providerId = ssoProviderId(connection.id);
    const linked = await tx.account.findUnique({
      where: { providerId_accountId: { providerId, accountId: identity.subject } },
      select: { user: true },
    });
    let user = linked?.user ?? (await tx.user.findUnique({ where: { email } }));
    if (user?.role === "operator")
      throw new SsoRefusal("operator", "Operators sign in with their password and second factor.");
    const role = roleForGroups(identity.groups, mappingOf(connection));
    if (!user) {
      if (!role)
        throw new SsoRefusal("no_role", "Your groups at your identity provider give you no role in this organisation.");
      user = await tx.user.create({
        data: { id: newId("user"), email, name: identity.name || email, emailVerified: true },
      });
    }
    if (!linked) {
      await tx.account.create({
        data: { id: newId("account"), userId: user.id, providerId, accountId: identity.subject },
      });
    }
    let membership: Awaited<ReturnType<typeof membershipFor>>;
    try {
      membership = await membershipFor(tenantId, user.id, role, provisioning, tx);
    } catch (error) {
      // The last owner keeps the role their groups would take away: an organisation is never left without one.
      if (!(error instanceof DomainError && error.code === "conflict")) throw error;
      membership = { created: null };
    }
    if (membership?.created) {
      await appendAuditEvent(
        {
          tenantId,
          action: "member.provision",
          targetType: "membership",
          targetId: membership.created.id,
          metadata: { email, role, via: connection.protocol, groups: identity.groups.slice(0, 50) },
        },
        provisioning,
        tx,
      );
    }
    if (!membership) {
      // Committed: the membership ends even though the sign-in is refused.
      return { refused: true as const };
    }
    const current = await tx.membership.findUniqueOrThrow({
      where: { tenantId_userId: { tenantId, userId: user.id } },
      select: { role: true },
    });
    return { refused: false as const, userId: user.id, email, tenantId, role: current.role };
  });
}
