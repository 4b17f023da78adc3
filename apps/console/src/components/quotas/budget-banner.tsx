import "server-only";
import { tenantBoundDb } from "@aiaas/db";
import { formatUsd } from "@aiaas/core/billing";
import { utcDayKey } from "@aiaas/core/platform";
import { QuotaGate, budgetAlertLevel, tenantLimits } from "@aiaas/core/quota";
import { roleCan } from "@aiaas/core/tenants";
import { Alert } from "@/components/ui/alert.tsx";
import { consoleEnv } from "@/server/env.ts";
import { services } from "@/server/services.ts";

/**
 * At 80 % and 100 % of the organization's budget, its admins see it on every
 * page (and were mailed once). Nothing shows when Redis cannot say.
 */
export async function BudgetBanner({ tenantId, userId }: { tenantId: string; userId: string }) {
  const { db, redis } = services();
  const membership = await tenantBoundDb(db, tenantId).membership.findFirst({
    where: { tenantId, userId },
    select: { role: true, tenant: { select: { plan: true, quotaOverride: true } } },
  });
  if (!membership || !roleCan(membership.role, "tenant:update")) return null;
  const limits = tenantLimits(membership.tenant.plan, membership.tenant.quotaOverride);
  if (limits.budgetMicros === null) return null;
  const [use] = await new QuotaGate(redis, consoleEnv().QUEUE_PREFIX)
    .usage([{ kind: "tenant", id: tenantId, tenantId, limits }])
    .catch(() => []);
  if (!use) return null;
  const level = budgetAlertLevel(use.budgetUsedMicros, limits.budgetMicros);
  if (level === 0) return null;
  const period = limits.budgetPeriod === "day" ? "daily" : "monthly";
  const resets = use.budgetResetAt ? ` It resets on ${utcDayKey(use.budgetResetAt)}.` : "";
  return (
    <Alert tone={level === 100 ? "error" : "info"} className="mb-6">
      {level === 100
        ? `The ${period} budget is used up (${formatUsd(use.budgetUsedMicros)} of ${formatUsd(limits.budgetMicros)}): API requests that would cost more are refused.${resets}`
        : `${formatUsd(use.budgetUsedMicros)} of the ${period} budget of ${formatUsd(limits.budgetMicros)} is used (80% or more).${resets}`}
    </Alert>
  );
}
