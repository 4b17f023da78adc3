import type { Tx, User } from "@aiaas/db";
import { newId } from "../ids.ts";
import { SsoRefusal } from "./sso-refusal.ts";
import { domainOfEmail } from "./sso-domains.ts";

/**
 * The account of someone a tenant's IdP vouches for (SSO sign-in, SCIM),
 * made (email verified) when `create` and none exists. Refused unless the
 * address is of a domain this tenant verified (an IdP cannot speak for other
 * people's addresses), and for operators (never signed in by a tenant's IdP).
 */
export async function personForTenant(
  tx: Tx,
  input: { tenantId: string; email: string; name: string; existing?: User | null; create: boolean },
): Promise<User | null> {
  const email = input.email.trim().toLowerCase();
  const domain = domainOfEmail(email);
  const verified = domain
    ? await tx.ssoDomain.findFirst({
        where: { tenantId: input.tenantId, domain, verifiedAt: { not: null } },
        select: { id: true },
      })
    : null;
  if (!verified) {
    throw new SsoRefusal(
      "domain_not_verified",
      `Your identity provider vouched for ${email}, whose domain this organisation has not verified.`,
    );
  }
  const user = input.existing ?? (await tx.user.findUnique({ where: { email } }));
  if (user?.role === "operator") {
    throw new SsoRefusal("operator", "Operators sign in with their password and second factor.");
  }
  if (user || !input.create) return user;
  return tx.user.create({ data: { id: newId("user"), email, name: input.name || email, emailVerified: true } });
}
