import type { DbOrTx } from "@aiaas/db";
import { accountStatement, type PeriodStatement } from "./account-statement.ts";
import { billingPeriodOf, type BillingPeriod } from "./billing-period.ts";
import { includedUsageOf } from "./free-allowance.ts";

/** One invoice line: a model's usage at one price version, or the subscription, or an account line. */
export interface InvoiceLineView {
  kind: "usage" | "subscription" | "included" | "credit";
  description: string;
  model: string | null;
  /** When the price of a usage line took effect. */
  priceFrom: Date | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  images: number;
  amountMicros: bigint;
}

export interface InvoiceView {
  tenantId: string;
  period: BillingPeriod;
  /** Until the period ends the invoice can change; it is a preview. */
  final: boolean;
  lines: InvoiceLineView[];
  subtotalMicros: bigint;
  totalMicros: bigint;
  statement: PeriodStatement;
}

/**
 * A period's invoice, computed from the ledger: a line per model and price
 * version (so a mid-period price change shows as two lines), the plan's
 * subscription, its included usage and the credit applied. Can be previewed
 * at any time.
 */
export async function previewInvoice(
  db: DbOrTx,
  { tenantId, at = new Date(), now = new Date() }: { tenantId: string; at?: Date; now?: Date },
): Promise<InvoiceView> {
  const period = billingPeriodOf(at);
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: {
      freeAllowance: true,
      plan: { select: { name: true, includedUsageMicros: true, priceMonthlyMicros: true } },
    },
  });
  const usage = await db.$queryRaw<
    {
      model: string | null;
      price_from: Date | null;
      requests: number;
      input_tokens: bigint;
      output_tokens: bigint;
      images: bigint;
      amount: bigint;
    }[]
  >`
    SELECT m.slug AS model, p.effective_from AS price_from, COUNT(*)::int AS requests,
      COALESCE(SUM(u.input_tokens), 0)::bigint AS input_tokens, COALESCE(SUM(u.output_tokens), 0)::bigint AS output_tokens,
      COALESCE(SUM(u.images), 0)::bigint AS images, SUM(l.amount_micros)::bigint AS amount
    FROM ledger_entries l
    LEFT JOIN usage_events u ON u.request_id = l.request_id
    LEFT JOIN models m ON m.id = u.model_id
    LEFT JOIN model_prices p ON p.id = l.model_price_id
    WHERE l.tenant_id = ${tenantId} AND l.kind = 'usage' AND l.occurred_at >= ${period.start} AND l.occurred_at < ${period.end}
    GROUP BY m.slug, p.effective_from
    ORDER BY m.slug, p.effective_from NULLS FIRST`;
  const others = await db.ledgerEntry.findMany({
    where: { tenantId, kind: { not: "usage" }, occurredAt: { gte: period.start, lt: period.end } },
    orderBy: { occurredAt: "asc" },
  });
  const statements = await accountStatement(db, {
    tenantId,
    includedUsageMicros: includedUsageOf(tenant),
    until: at,
  });
  const statement = statements.at(-1);
  if (!statement) throw new Error("an account statement always has its last period");

  const blank = { model: null, priceFrom: null, requests: 0, inputTokens: 0, outputTokens: 0, images: 0 };
  const lines: InvoiceLineView[] = [
    ...usage.map((row) => ({
      kind: "usage" as const,
      description: row.model ?? "usage",
      model: row.model,
      priceFrom: row.price_from,
      requests: row.requests,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      images: Number(row.images),
      amountMicros: row.amount,
    })),
    ...others
      .filter((entry) => entry.kind === "subscription")
      .map((entry) => ({
        ...blank,
        kind: "subscription" as const,
        description: entry.description || `${tenant.plan?.name ?? "Plan"} subscription`,
        amountMicros: entry.amountMicros,
      })),
  ];
  if (statement.includedMicros > 0n) {
    lines.push({
      ...blank,
      kind: "included",
      description: "Included usage",
      amountMicros: -statement.includedMicros,
    });
  }
  if (statement.creditsAppliedMicros > 0n) {
    lines.push({
      ...blank,
      kind: "credit",
      description: "Credit applied",
      amountMicros: -statement.creditsAppliedMicros,
    });
  }
  const subtotalMicros = statement.usageMicros + statement.subscriptionMicros;
  return {
    tenantId,
    period,
    final: now >= period.end,
    lines,
    subtotalMicros,
    totalMicros: statement.dueMicros,
    statement,
  };
}
