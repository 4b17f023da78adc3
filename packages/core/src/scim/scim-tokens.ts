import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { encodeBase62 } from "../base62.ts";
import { notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { hashApiKey } from "../keys/api-key-hash.ts";

const TOKEN_PREFIX = "scim_";

/** A new SCIM bearer token for a tenant: the secret is returned here, once; its HMAC is stored (like API keys). */
export async function createScimToken(
  input: { tenantId: string; name: string; createdById: string | null; pepper: string },
  ctx: ChangeContext,
  tx: Tx,
) {
  const secret = `${TOKEN_PREFIX}${encodeBase62(randomBytes(24), 33)}`;
  const token = await tx.scimToken.create({
    data: {
      id: newId("scimToken"),
      tenantId: input.tenantId,
      name: input.name,
      tokenHash: hashApiKey(secret, input.pepper),
      prefix: secret.slice(0, 9),
      last4: secret.slice(-4),
      createdById: input.createdById,
    },
  });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "scim.token_create",
      targetType: "scim_token",
      targetId: token.id,
      metadata: { name: input.name },
    },
    ctx,
    tx,
  );
  return { token, secret };
}

export async function revokeScimToken(input: { tenantId: string; tokenId: string }, ctx: ChangeContext, tx: Tx) {
  const token = await tx.scimToken.findFirst({
    where: { id: input.tokenId, tenantId: input.tenantId, revokedAt: null },
  });
  if (!token) throw notFound("SCIM token");
  await tx.scimToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
  await appendAuditEvent(
    { tenantId: input.tenantId, action: "scim.token_revoke", targetType: "scim_token", targetId: token.id },
    ctx,
    tx,
  );
}

/** The tenant a SCIM request's bearer token belongs to (it must not be revoked), or null. */
export async function scimTokenOf(db: Db, pepper: string, authorization: string | null) {
  const secret = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!secret?.startsWith(TOKEN_PREFIX)) return null;
  const token = await db.scimToken.findUnique({
    where: { tokenHash: hashApiKey(secret, pepper) },
    include: { tenant: { select: { status: true } } },
  });
  if (!token || token.revokedAt || token.tenant.status !== "active") return null;
  // When a token was last used, to the minute (no write per request).
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    await db.scimToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  }
  return { id: token.id, tenantId: token.tenantId, label: `scim ${token.prefix}…${token.last4}` };
}
