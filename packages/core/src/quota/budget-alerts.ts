import type { Redis } from "ioredis";
import { withTenant, type Db } from "@aiaas/db";
import { mailTenantRoles } from "../outbox/mail-tenant-roles.ts";
import type { ScopeUse } from "./quota-gate.ts";
import { formatUsd } from "../billing/money.ts";
import { utcDayKey } from "../time/utc-calendar.ts";

/** How far into a budget a tenant's admins are told: at 80 % and at 100 %. */
export function budgetAlertLevel(usedMicros: bigint, limitMicros: bigint): 0 | 80 | 100 {
  if (limitMicros <= 0n) return 0;
  if (usedMicros >= limitMicros) return 100;
  return usedMicros * 100n >= limitMicros * 80n ? 80 : 0;
}

/**
 * Mails a tenant's owners and admins (to the outbox) once per budget, period
 * and level when spending crosses 80 % and 100 %; the console shows the same
 * as a banner.
 */
export class BudgetAlerts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly db: Db,
  ) {}

  async check(use: ScopeUse): Promise<void> {
    const { scope } = use;
    const limit = scope.limits.budgetMicros;
    if (limit === null || !use.budgetResetAt) return;
    const level = budgetAlertLevel(use.budgetUsedMicros, limit);
    if (level === 0) return;
    const period = utcDayKey(use.budgetResetAt);
    const ttl = Math.max(60, Math.ceil((use.budgetResetAt.getTime() - Date.now()) / 1000) + 86_400);
    const first = await this.redis.set(
      `${this.prefix}:budget-alert:{${scope.tenantId}}:${scope.kind}:${scope.id}:${period}:${level}`,
      "1",
      "EX",
      ttl,
      "NX",
    );
    if (first !== "OK") return;
    const what = scope.kind === "tenant" ? "your organization's" : `the API key ${scope.id}'s`;
    const periodWord = scope.limits.budgetPeriod === "day" ? "daily" : "monthly";
    const resetsOn = utcDayKey(use.budgetResetAt);
    await withTenant(this.db, scope.tenantId, (tx) =>
      mailTenantRoles(tx, {
        tenantId: scope.tenantId,
        roles: ["owner", "admin"],
        kind: "budget-alert",
        compose: (tenantName) => ({
          subject:
            level === 100
              ? `${tenantName}: the ${periodWord} budget is used up`
              : `${tenantName}: 80% of the ${periodWord} budget used`,
          text: `${formatUsd(use.budgetUsedMicros)} of ${what} ${periodWord} budget of ${formatUsd(limit)} is spent or reserved (${level === 100 ? "requests that would cost more are refused with 402" : "at 100% requests are refused"}). It resets on ${resetsOn}. An owner can raise the budget, or ask an operator to.`,
        }),
      }),
    );
  }
}
