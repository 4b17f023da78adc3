import type { DbOrTx } from "@aiaas/db";
import { tenantLimits } from "./limits.ts";

/** Every plan with its terms, its default limits and how many tenants are on it. */
export async function listPlans(db: DbOrTx) {
  const plans = await db.plan.findMany({
    orderBy: [{ priceMonthlyMicros: "asc" }, { slug: "asc" }],
    include: { _count: { select: { tenants: true } } },
  });
  return plans.map((plan) => ({
    id: plan.id,
    slug: plan.slug,
    name: plan.name,
    description: plan.description,
    priceMonthlyMicros: plan.priceMonthlyMicros,
    includedUsageMicros: plan.includedUsageMicros,
    prepaid: plan.prepaid,
    stripePriceId: plan.stripePriceId,
    stripeMeteredPriceId: plan.stripeMeteredPriceId,
    isDefault: plan.isDefault,
    active: plan.active,
    limits: tenantLimits(plan, null),
    tenants: plan._count.tenants,
  }));
}
