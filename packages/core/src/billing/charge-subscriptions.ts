import type { Db } from "@aiaas/db";
import { newId } from "../ids.ts";
import { billingPeriodOf } from "./billing-period.ts";

/**
 * Charges each active tenant on a paid plan its monthly fee for the period
 * `now` falls in, once: the entry's reference names tenant and period, so
 * the hourly run (any worker) adds nothing after the first. Dated at the
 * period's start; a plan taken mid-month is charged in full.
 */
export async function chargeSubscriptions(db: Db, now = new Date()): Promise<number> {
  const period = billingPeriodOf(now);
  const tenants = await db.tenant.findMany({
    where: { status: "active", plan: { priceMonthlyMicros: { gt: 0 } } },
    select: { id: true, plan: { select: { name: true, priceMonthlyMicros: true } } },
  });
  const { count } = await db.ledgerEntry.createMany({
    data: tenants.flatMap((tenant) =>
      tenant.plan
        ? [
            {
              id: newId("ledgerEntry"),
              tenantId: tenant.id,
              kind: "subscription" as const,
              amountMicros: tenant.plan.priceMonthlyMicros,
              description: `${tenant.plan.name} plan, ${period.key}`,
              externalRef: `subscription:${tenant.id}:${period.key}`,
              occurredAt: period.start,
            },
          ]
        : [],
    ),
    skipDuplicates: true,
  });
  return count;
}
