import type { DbOrTx } from "@aiaas/db";
import { tenantLimits } from "./limits.ts";
import { limitMeters } from "./limit-meters.ts";
import type { QuotaGate, QuotaScope } from "./quota-gate.ts";

/**
 * A tenant's limits as admission applies them: its plan's defaults, the
 * operator's override, the result, and each usable key's own limits.
 */
export async function loadTenantQuota(db: DbOrTx, tenantId: string, options: { keyId?: string } = {}) {
  const now = new Date();
  const row = await db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: {
      plan: true,
      quotaOverride: { include: { setBy: { select: { email: true } } } },
      apiKeys: {
        where: {
          tenantId,
          revokedAt: null,
          sessionId: null,
          OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
          ...(options.keyId ? { id: options.keyId } : {}),
        },
        orderBy: { createdAt: "desc" },
      },
    },
  });
  const { plan, quotaOverride: override } = row;
  return {
    plan: plan && { id: plan.id, slug: plan.slug, name: plan.name, limits: tenantLimits(plan, null) },
    override: override && {
      limits: tenantLimits(override, null),
      reason: override.reason,
      setBy: override.setBy?.email ?? null,
      updatedAt: override.updatedAt,
    },
    tenant: { kind: "tenant", id: tenantId, tenantId, limits: tenantLimits(plan, override) } satisfies QuotaScope,
    keys: row.apiKeys.map((key) => ({
      id: key.id,
      name: key.name,
      display: `${key.prefix}…${key.last4}`,
      scope: { kind: "key", id: key.id, tenantId, limits: tenantLimits(key, null) } satisfies QuotaScope,
    })),
  };
}
export type TenantQuota = Awaited<ReturnType<typeof loadTenantQuota>>;

/** The quota with every limit beside its use now; `live` is false when Redis could not say (the bars are then empty). */
export async function meterTenantQuota(gate: QuotaGate, quota: TenantQuota) {
  const scopes = [quota.tenant, ...quota.keys.map((key) => key.scope)];
  const uses = await gate.usage(scopes).catch(() => null);
  const withMeters = (scope: QuotaScope, i: number) => ({
    limits: scope.limits,
    meters: limitMeters(scope.limits, uses?.[i] ?? null),
  });
  return {
    live: uses !== null,
    plan: quota.plan,
    override: quota.override,
    tenant: withMeters(quota.tenant, 0),
    keys: quota.keys.map((key, i) => ({
      id: key.id,
      name: key.name,
      display: key.display,
      ...withMeters(key.scope, i + 1),
    })),
  };
}
