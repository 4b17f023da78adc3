import type { DbOrTx } from "@aiaas/db";

export type ApiKeyStatus = "active" | "rolling" | "rolled" | "revoked" | "expired";

export function apiKeyStatus(
  key: { revokedAt: Date | null; expiresAt: Date | null; graceEndsAt: Date | null },
  now = new Date(),
): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  if (key.graceEndsAt) return key.graceEndsAt <= now ? "rolled" : "rolling";
  return "active";
}

/**
 * A tenant's keys, newest first, without their hashes. The playground's
 * session keys are left out, unless `withSessionKeys` (owners and admins see
 * the ones still working, marked, to know who holds a key and revoke it).
 */
export async function listApiKeys(
  { tenantId, withSessionKeys = false }: { tenantId: string; withSessionKeys?: boolean },
  db: DbOrTx,
) {
  const now = new Date();
  const keys = await db.apiKey.findMany({
    where: {
      tenantId,
      OR: [
        { sessionId: null },
        ...(withSessionKeys ? [{ sessionId: { not: null }, revokedAt: null, expiresAt: { gt: now } }] : []),
      ],
    },
    orderBy: { createdAt: "desc" },
    include: { createdBy: { select: { email: true } } },
  });
  return keys.map((key) => ({
    id: key.id,
    name: key.name,
    display: `${key.prefix}…${key.last4}`,
    environment: key.environment,
    scopes: key.scopes,
    models: key.models,
    createdBy: key.createdBy?.email ?? null,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    graceEndsAt: key.graceEndsAt,
    limits: {
      rpm: key.limitRpm,
      tpm: key.limitTpm,
      rpd: key.limitRpd,
      concurrent: key.limitConcurrent,
      budgetMicros: key.limitBudgetMicros,
      budgetPeriod: key.limitBudgetPeriod,
    },
    status: apiKeyStatus(key, now),
    /** A playground key of someone's console session (it ends with the session, within the hour). */
    sessionKey: key.sessionId !== null,
  }));
}
