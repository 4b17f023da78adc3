import { randomBytes } from "node:crypto";
import { domainToASCII } from "node:url";
import { Prisma, type Db, type Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { systemActor } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { encodeBase62 } from "../base62.ts";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A domain as people type it (any case, a trailing dot, Unicode), as DNS names it; or a clear refusal. */
export function normalizeDomain(raw: string): string {
  const ascii = domainToASCII(raw.trim().toLowerCase().replace(/\.$/, ""));
  const labels = ascii.split(".");
  if (!ascii || ascii.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    throw new DomainError("invalid_input", `"${raw}" is not a domain name such as example.com.`);
  }
  return ascii;
}

/** The domain of an email address (normalised), or null. */
export function domainOfEmail(email: string): string | null {
  const at = email.lastIndexOf("@");
  if (at < 1) return null;
  try {
    return normalizeDomain(email.slice(at + 1));
  } catch {
    return null;
  }
}

/**
 * Claims a domain for a tenant: it is verified once its TXT record holds the
 * token (a worker job checks, and refuses a domain another tenant verified
 * first: the tenant's own transaction cannot see other tenants' domains).
 */
export async function addSsoDomain(input: { tenantId: string; domain: string }, ctx: ChangeContext, tx: Tx) {
  const domain = normalizeDomain(input.domain);
  try {
    const created = await tx.ssoDomain.create({
      data: { id: newId("ssoDomain"), tenantId: input.tenantId, domain, token: encodeBase62(randomBytes(16), 22) },
    });
    await appendAuditEvent(
      {
        tenantId: input.tenantId,
        action: "sso.domain_add",
        targetType: "sso_domain",
        targetId: created.id,
        metadata: { domain },
      },
      ctx,
      tx,
    );
    return created;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new DomainError("conflict", `${domain} is already on your list.`);
    throw error;
  }
}

export async function removeSsoDomain(input: { tenantId: string; domainId: string }, ctx: ChangeContext, tx: Tx) {
  const found = await tx.ssoDomain.findFirst({ where: { id: input.domainId, tenantId: input.tenantId } });
  if (!found) throw notFound("domain");
  await tx.ssoDomain.delete({ where: { id: found.id } });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "sso.domain_remove",
      targetType: "sso_domain",
      targetId: found.id,
      metadata: { domain: found.domain, wasVerified: Boolean(found.verifiedAt) },
    },
    ctx,
    tx,
  );
}

/**
 * Records a check of a domain's TXT record (the worker's job, as the
 * platform). Found: the domain is verified for its tenant, unless another
 * tenant verified it first. Audited when verified and when a check gives up.
 */
export async function recordDomainCheck(
  db: Db,
  input: { domainId: string; found: boolean; reason?: string; lastAttempt: boolean },
): Promise<"verified" | "not_found" | "taken" | "gone"> {
  const ctx = { actor: systemActor("domain-check") };
  return db.$transaction(async (tx) => {
    const domain = await tx.ssoDomain.findUnique({ where: { id: input.domainId } });
    if (!domain) return "gone";
    if (domain.verifiedAt) return "verified";
    const now = new Date();
    const audit = (result: "success" | "failure", metadata: Record<string, unknown>) =>
      appendAuditEvent(
        {
          tenantId: domain.tenantId,
          action: "sso.domain_verify",
          result,
          targetType: "sso_domain",
          targetId: domain.id,
          metadata: { domain: domain.domain, ...metadata },
        },
        ctx,
        tx,
      );
    if (input.found) {
      const taken = await tx.ssoDomain.findFirst({ where: { domain: domain.domain, verifiedAt: { not: null } } });
      if (taken) {
        const reason = `${domain.domain} is already verified by another organisation.`;
        await tx.ssoDomain.update({ where: { id: domain.id }, data: { checkedAt: now, lastError: reason } });
        await audit("failure", { reason });
        return "taken";
      }
      await tx.ssoDomain.update({
        where: { id: domain.id },
        data: { checkedAt: now, verifiedAt: now, lastError: null },
      });
      await audit("success", {});
      return "verified";
    }
    await tx.ssoDomain.update({ where: { id: domain.id }, data: { checkedAt: now, lastError: input.reason ?? null } });
    if (input.lastAttempt) await audit("failure", { reason: input.reason, gaveUp: true });
    return "not_found";
  });
}

/** The identity provider of the tenant that verified an email's domain, if any (sign-in looks across tenants). */
export async function ssoConnectionForEmail(db: Db, email: string) {
  const domain = domainOfEmail(email);
  if (!domain) return null;
  const verified = await db.ssoDomain.findFirst({
    where: { domain, verifiedAt: { not: null } },
    select: { tenantId: true, tenant: { select: { ssoConnection: true, status: true } } },
  });
  const connection = verified?.tenant.ssoConnection;
  return connection && verified.tenant.status === "active" ? connection : null;
}
