import type { DbOrTx } from "@aiaas/db";
import { tenantLimits } from "./limits.ts";
import { limitMeters } from "./limit-meters.ts";
import type { QuotaGate, QuotaScope } from "./quota-gate.ts";

/**
 * Active tenants' use now against their limits, busiest first: the
 * operators' live view. Without a search, the tenants whose keys were used
 * in the last 10 minutes; with one, those whose name or slug matches.
 */
export async function liveTenantUsage(
  db: DbOrTx,
  gate: QuotaGate,
  { search, take = 200, now = new Date() }: { search?: string; take?: number; now?: Date } = {},
) {
  const tenants = await db.tenant.findMany({
    where: {
      status: "active",
      ...(search
        ? { OR: [{ name: { contains: search, mode: "insensitive" } }, { slug: { contains: search.toLowerCase() } }] }
        : { apiKeys: { some: { lastUsedAt: { gte: new Date(now.getTime() - 600_000) } } } }),
    },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, slug: true, name: true, plan: true, quotaOverride: true },
  });
  const scoped = tenants.map((tenant) => ({
    tenant,
    scope: {
      kind: "tenant",
      id: tenant.id,
      tenantId: tenant.id,
      limits: tenantLimits(tenant.plan, tenant.quotaOverride),
    } satisfies QuotaScope,
  }));
  // One script run per tenant: each tenant's counters live in its own hash slot.
  const uses = await Promise.all(scoped.map(({ scope }) => gate.usage([scope]).then(([use]) => use ?? null))).catch(
    () => null,
  );
  const rows = scoped.map(({ tenant, scope }, i) => {
    const use = uses?.[i] ?? null;
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      plan: tenant.plan?.slug ?? null,
      overridden: tenant.quotaOverride !== null,
      meters: limitMeters(scope.limits, use),
      busy: use ? use.requests + use.inFlight : 0,
    };
  });
  return { live: uses !== null, tenants: rows.sort((a, b) => b.busy - a.busy) };
}
