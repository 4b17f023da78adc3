import type { Db } from "@aiaas/db";
import { budgetPeriod, type QuotaScope } from "./quota-gate.ts";

/**
 * What the ledger holds for a scope's budget period: the usage charged to
 * the tenant (or to one of its keys) since the period began. A budget's
 * counter in Redis is seeded (and reconciled) from it.
 */
export async function spentInBudgetPeriod(db: Db, scope: QuotaScope, now = new Date()): Promise<bigint> {
  const { start, endsAt } = budgetPeriod(scope.limits, now);
  const [row] =
    scope.kind === "key"
      ? await db.$queryRaw<{ spent: bigint | null }[]>`
          SELECT sum(cost_micros)::bigint AS spent FROM usage_events
          WHERE tenant_id = ${scope.tenantId} AND api_key_id = ${scope.id} AND occurred_at >= ${start} AND occurred_at < ${endsAt}`
      : await db.$queryRaw<{ spent: bigint | null }[]>`
          SELECT sum(cost_micros)::bigint AS spent FROM usage_events
          WHERE tenant_id = ${scope.tenantId} AND occurred_at >= ${start} AND occurred_at < ${endsAt}`;
  return row?.spent ?? 0n;
}
