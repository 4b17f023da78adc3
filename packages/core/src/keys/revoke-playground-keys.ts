import type { Tx } from "@aiaas/db";

/**
 * Revokes the playground keys a person made that still work, in one tenant
 * (they left it) or in every tenant (they were suspended). Not audited one by
 * one: the caller's own event says how many. Returns their hashes, for the
 * caller to tell the gateways once this commits (invalidateAuthCache).
 */
export async function revokePlaygroundKeysOf(owner: { userId: string; tenantId?: string }, tx: Tx) {
  const inTenant = owner.tenantId ? { tenantId: owner.tenantId } : {};
  const keys = await tx.apiKey.findMany({
    where: { ...inTenant, createdById: owner.userId, sessionId: { not: null }, revokedAt: null },
    select: { id: true, keyHash: true },
  });
  await tx.apiKey.updateMany({
    where: { ...inTenant, id: { in: keys.map((key) => key.id) } },
    data: { revokedAt: new Date() },
  });
  return keys.map((key) => key.keyHash);
}
