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

/** A tenant's keys, newest first, without their hashes; the playground's session keys are left out. */
export async function listApiKeys({ tenantId }: { tenantId: string }, db: DbOrTx) {
  const keys = await db.apiKey.findMany({
    where: { tenantId, sessionId: null },
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
    status: apiKeyStatus(key),
  }));
}
