import { Prisma, type DbOrTx } from "@aiaas/db";
import { billingPeriodOf, type BillingPeriod } from "./billing-period.ts";

/** One period of a tenant's account, derived from the ledger. */
export interface PeriodStatement {
  period: BillingPeriod;
  usageMicros: bigint;
  subscriptionMicros: bigint;
  /** The plan's included usage taken against this period's usage. */
  includedMicros: bigint;
  /** Credits added in the period (top-ups, grants, refunds, adjustments). */
  creditsAddedMicros: bigint;
  /** Credit used to pay the period's charges. */
  creditsAppliedMicros: bigint;
  /** What is left to pay: charges less included usage less credit applied. */
  dueMicros: bigint;
  /** Credit left at the end of the period. */
  balanceMicros: bigint;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** One month's ledger sums: charges positive, credits as a positive amount added. */
export interface MonthSums {
  month: Date;
  usage: bigint;
  subscription: bigint;
  credits: bigint;
}

/** The SQL of a month's sums, grouped by what `group` adds (e.g. the tenant). */
export const monthSumsColumns = Prisma.sql`date_trunc('month', occurred_at) AS month,
  COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'usage'), 0)::bigint AS usage,
  COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'subscription'), 0)::bigint AS subscription,
  COALESCE(-SUM(amount_micros) FILTER (WHERE kind <> 'usage' AND kind <> 'subscription'), 0)::bigint AS credits`;

/**
 * A tenant's account month by month until `until`'s period: each month's
 * charges less its plan's included usage are paid from the credit available
 * (carried over and added), the rest is due. Everything comes from the
 * ledger; nothing is stored but the entries.
 */
export function statementOf(months: MonthSums[], includedUsageMicros: bigint, until: Date): PeriodStatement[] {
  const last = billingPeriodOf(until);
  const byMonth = new Map(months.map((row) => [billingPeriodOf(row.month).key, row]));
  if (!byMonth.has(last.key)) byMonth.set(last.key, { month: last.start, usage: 0n, subscription: 0n, credits: 0n });
  let balance = 0n;
  return [...byMonth.values()]
    .filter((row) => row.month < last.end)
    .sort((a, b) => a.month.getTime() - b.month.getTime())
    .map((row) => {
      const included = min(row.usage, includedUsageMicros);
      const charges = row.usage - included + row.subscription;
      balance += row.credits;
      const applied = balance > 0n ? min(balance, charges) : 0n;
      balance -= applied;
      return {
        period: billingPeriodOf(row.month),
        usageMicros: row.usage,
        subscriptionMicros: row.subscription,
        includedMicros: included,
        creditsAddedMicros: row.credits,
        creditsAppliedMicros: applied,
        dueMicros: charges - applied,
        balanceMicros: balance,
      };
    });
}

/** One tenant's statement, from its ledger entries. */
export async function accountStatement(
  db: DbOrTx,
  {
    tenantId,
    includedUsageMicros,
    until = new Date(),
  }: { tenantId: string; includedUsageMicros: bigint; until?: Date },
): Promise<PeriodStatement[]> {
  const months = await db.$queryRaw<MonthSums[]>`
    SELECT ${monthSumsColumns}
    FROM ledger_entries
    WHERE tenant_id = ${tenantId} AND occurred_at < ${billingPeriodOf(until).end}
    GROUP BY 1 ORDER BY 1`;
  return statementOf(months, includedUsageMicros, until);
}
