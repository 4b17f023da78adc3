import type { DbOrTx } from "@aiaas/db";
import { monthSumsColumns, statementOf, type MonthSums } from "./account-statement.ts";
import { billingPeriodOf } from "./billing-period.ts";
import { includedUsageOf } from "./free-allowance.ts";

/**
 * The operators' view of the business, from the ledger: charges per period
 * across tenants, and per tenant this period's charges, its credit balance
 * and what closed periods left unpaid (tenants with ledger entries).
 */
export async function platformBilling(db: DbOrTx, { now = new Date(), periods = 12 } = {}) {
  const current = billingPeriodOf(now);
  const rows = await db.$queryRaw<(MonthSums & { tenant_id: string })[]>`
    SELECT tenant_id, ${monthSumsColumns}
    FROM ledger_entries WHERE occurred_at < ${current.end}
    GROUP BY tenant_id, 2 ORDER BY 2`;
  const monthsByTenant = new Map<string, MonthSums[]>();
  for (const row of rows) monthsByTenant.set(row.tenant_id, [...(monthsByTenant.get(row.tenant_id) ?? []), row]);
  // Tenants with ledger entries only: the others have nothing to bill.
  const tenants = await db.tenant.findMany({
    where: { id: { in: [...monthsByTenant.keys()] } },
    select: {
      id: true,
      slug: true,
      name: true,
      freeAllowance: true,
      plan: { select: { slug: true, includedUsageMicros: true, priceMonthlyMicros: true } },
    },
  });
  const paid = await db.invoice.findMany({ where: { status: "paid" }, select: { tenantId: true, periodStart: true } });
  const paidPeriods = new Set(paid.map((invoice) => `${invoice.tenantId}|${billingPeriodOf(invoice.periodStart).key}`));

  const revenue = new Map<string, { chargesMicros: bigint; dueMicros: bigint }>();
  const accounts = tenants.map((tenant) => {
    const statement = statementOf(monthsByTenant.get(tenant.id) ?? [], includedUsageOf(tenant), now);
    for (const month of statement) {
      const sum = revenue.get(month.period.key) ?? { chargesMicros: 0n, dueMicros: 0n };
      sum.chargesMicros += month.usageMicros + month.subscriptionMicros;
      sum.dueMicros += month.dueMicros;
      revenue.set(month.period.key, sum);
    }
    const last = statement.at(-1);
    const unpaid = statement.filter(
      (month) =>
        month.period.end <= now && month.dueMicros > 0n && !paidPeriods.has(`${tenant.id}|${month.period.key}`),
    );
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      plan: tenant.plan?.slug ?? null,
      periodChargesMicros: last ? last.usageMicros + last.subscriptionMicros : 0n,
      creditBalanceMicros: last?.balanceMicros ?? 0n,
      unpaid: unpaid.map((month) => ({ period: month.period.key, dueMicros: month.dueMicros })),
    };
  });
  return {
    period: current,
    revenue: [...revenue.entries()]
      .map(([period, sums]) => ({ period, ...sums }))
      .sort((a, b) => b.period.localeCompare(a.period))
      .slice(0, periods),
    accounts: accounts.sort((a, b) => Number(b.periodChargesMicros - a.periodChargesMicros)),
  };
}
