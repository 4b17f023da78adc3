import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { queueEmail } from "../outbox/queue-email.ts";
import type { ScopeUse } from "./quota-gate.ts";

/** How far into a budget a tenant's admins are told: at 80 % and at 100 %. */
export function budgetAlertLevel(usedMicros: bigint, limitMicros: bigint): 0 | 80 | 100 {
  if (limitMicros <= 0n) return 0;
  if (usedMicros >= limitMicros) return 100;
  return usedMicros * 100n >= limitMicros * 80n ? 80 : 0;
}

const usd = (micros: bigint) => `$${(Number(micros) / 1_000_000).toFixed(2)}`;

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
    const period = use.budgetResetAt.toISOString().slice(0, 10);
    const ttl = Math.max(60, Math.ceil((use.budgetResetAt.getTime() - Date.now()) / 1000) + 86_400);
    const first = await this.redis.set(
      `${this.prefix}:budget-alert:{${scope.tenantId}}:${scope.kind}:${scope.id}:${period}:${level}`,
      "1",
      "EX",
      ttl,
      "NX",
    );
    if (first !== "OK") return;
    const admins = await this.db.membership.findMany({
      where: { tenantId: scope.tenantId, role: { in: ["owner", "admin"] } },
      select: { user: { select: { email: true } }, tenant: { select: { name: true } } },
    });
    const what = scope.kind === "tenant" ? "your organization's" : `the API key ${scope.id}'s`;
    const periodWord = scope.limits.budgetPeriod === "day" ? "daily" : "monthly";
    for (const admin of admins) {
      await queueEmail(
        {
          to: admin.user.email,
          tenantId: scope.tenantId,
          kind: "budget-alert",
          subject:
            level === 100
              ? `${admin.tenant.name}: the ${periodWord} budget is used up`
              : `${admin.tenant.name}: 80% of the ${periodWord} budget used`,
          text: `${usd(use.budgetUsedMicros)} of ${what} ${periodWord} budget of ${usd(limit)} is spent or reserved (${level === 100 ? "requests that would cost more are refused with 402" : "at 100% requests are refused"}). It resets on ${use.budgetResetAt.toISOString().slice(0, 10)}. An owner can raise the budget, or ask an operator to.`,
        },
        this.db,
      );
    }
  }
}
