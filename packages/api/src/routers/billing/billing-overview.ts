import { accountStatement, billingPeriodOf, includedUsageOf } from "@aiaas/core/billing";
import { scopedProcedure } from "../../trpc.ts";

/**
 * The organization's plan and this period so far, from the ledger: usage
 * against the included allowance, cost to date, a straight-line forecast to
 * the period's end, and the credit balance.
 */
export const overview = scopedProcedure("billing:read").query(async ({ ctx }) => {
  const now = new Date();
  const tenant = await ctx.db.tenant.findUniqueOrThrow({
    where: { id: ctx.tenant.id },
    select: {
      freeAllowance: true,
      plan: {
        select: { slug: true, name: true, priceMonthlyMicros: true, includedUsageMicros: true, prepaid: true },
      },
      billingAccount: { select: { paymentStatus: true, subscriptionStatus: true } },
    },
  });
  const plans = await ctx.db.plan.findMany({
    where: { active: true },
    orderBy: { priceMonthlyMicros: "asc" },
    select: { slug: true, name: true, description: true, priceMonthlyMicros: true, stripePriceId: true },
  });
  const includedMicros = includedUsageOf(tenant);
  const statements = await accountStatement(ctx.db, {
    tenantId: ctx.tenant.id,
    includedUsageMicros: includedMicros,
    until: now,
  });
  const current = statements.at(-1);
  if (!current) throw new Error("an account statement always has its last period");
  const period = billingPeriodOf(now);
  const elapsed = (now.getTime() - period.start.getTime()) / (period.end.getTime() - period.start.getTime());
  const charges = current.usageMicros + current.subscriptionMicros;
  return {
    mode: ctx.stripe ? ("stripe" as const) : ("ledger" as const),
    plan: tenant.plan && {
      slug: tenant.plan.slug,
      name: tenant.plan.name,
      priceMonthlyMicros: tenant.plan.priceMonthlyMicros,
      prepaid: tenant.plan.prepaid,
    },
    paymentStatus: tenant.billingAccount?.paymentStatus ?? "ok",
    period,
    usageMicros: current.usageMicros,
    includedMicros,
    /** The plan includes usage this organisation does not get: its creator's free allowance is held elsewhere. */
    freeAllowanceElsewhere: includedMicros < (tenant.plan?.includedUsageMicros ?? 0n),
    costToDateMicros: charges,
    dueToDateMicros: current.dueMicros,
    forecastMicros:
      current.subscriptionMicros + BigInt(Math.round(Number(current.usageMicros) / Math.max(elapsed, 1 / 720))),
    creditBalanceMicros: current.balanceMicros,
    plans: plans.map(({ stripePriceId, ...plan }) => ({ ...plan, soldOnline: stripePriceId !== null })),
    periods: statements
      .map((statement) => ({
        key: statement.period.key,
        chargesMicros: statement.usageMicros + statement.subscriptionMicros,
        dueMicros: statement.dueMicros,
        preview: statement.period.end > now,
      }))
      .reverse(),
  };
});
