import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { findTenantOrThrow } from "../tenants/find-tenant.ts";
import { tenantLimits, type LimitColumns, type LimitSet } from "./limits.ts";
import { findPlanOrThrow } from "./find-plan.ts";

const count = z.number().int().positive("must be a positive whole number").nullable().optional();

/** A change of limits: a value sets it, null clears it, absent leaves it as it is. */
export const limitsChange = z
  .object({
    rpm: count,
    tpm: count,
    rpd: count,
    concurrent: count,
    budgetMicros: z.bigint().positive("the budget must be more than 0").nullable().optional(),
    budgetPeriod: z.enum(["day", "month"]).nullable().optional(),
  })
  .strict();
export type LimitsChange = z.input<typeof limitsChange>;

type Columns = LimitColumns;

function applyChange(current: Columns, change: z.output<typeof limitsChange>): Columns {
  const next: Columns = {
    limitRpm: change.rpm === undefined ? current.limitRpm : change.rpm,
    limitTpm: change.tpm === undefined ? current.limitTpm : change.tpm,
    limitRpd: change.rpd === undefined ? current.limitRpd : change.rpd,
    limitConcurrent: change.concurrent === undefined ? current.limitConcurrent : change.concurrent,
    limitBudgetMicros: change.budgetMicros === undefined ? current.limitBudgetMicros : change.budgetMicros,
    limitBudgetPeriod: change.budgetPeriod === undefined ? current.limitBudgetPeriod : change.budgetPeriod,
  };
  if (next.limitBudgetMicros === null) next.limitBudgetPeriod = null;
  else next.limitBudgetPeriod ??= "month";
  return next;
}

const empty: Columns = {
  limitRpm: null,
  limitTpm: null,
  limitRpd: null,
  limitConcurrent: null,
  limitBudgetMicros: null,
  limitBudgetPeriod: null,
};
const columnsOf = (row: Columns | null): Columns =>
  row
    ? {
        limitRpm: row.limitRpm,
        limitTpm: row.limitTpm,
        limitRpd: row.limitRpd,
        limitConcurrent: row.limitConcurrent,
        limitBudgetMicros: row.limitBudgetMicros,
        limitBudgetPeriod: row.limitBudgetPeriod,
      }
    : empty;
const auditable = (columns: Columns) => ({
  ...columns,
  limitBudgetMicros: columns.limitBudgetMicros?.toString() ?? null,
});

const limitLabels = {
  rpm: "requests per minute",
  tpm: "tokens per minute",
  rpd: "requests per day",
  concurrent: "concurrent requests",
};

/** A key may only be held tighter than its tenant: each of its limits at most the tenant's. */
export function assertKeyWithinTenant(key: Columns, tenant: LimitSet) {
  const pairs = [
    ["rpm", key.limitRpm, tenant.rpm],
    ["tpm", key.limitTpm, tenant.tpm],
    ["rpd", key.limitRpd, tenant.rpd],
    ["concurrent", key.limitConcurrent, tenant.concurrent],
  ] as const;
  for (const [name, own, cap] of pairs) {
    if (own !== null && cap !== null && own > cap) {
      throw new DomainError(
        "invalid_input",
        `A key's ${limitLabels[name]} (${own}) cannot exceed the organization's (${cap}).`,
      );
    }
  }
  const samePeriodOrShorter =
    key.limitBudgetPeriod === tenant.budgetPeriod ||
    (key.limitBudgetPeriod === "day" && tenant.budgetPeriod === "month");
  if (
    key.limitBudgetMicros !== null &&
    tenant.budgetMicros !== null &&
    samePeriodOrShorter &&
    key.limitBudgetMicros > tenant.budgetMicros
  ) {
    throw new DomainError("invalid_input", "A key's budget cannot exceed the organization's budget.");
  }
}

/** An operator's override of a tenant's plan limits (audited with before and after). */
export async function setTenantQuota(
  input: { tenant: string; change: LimitsChange; reason?: string; setById?: string | null },
  ctx: ChangeContext,
  tx: Tx,
) {
  const change = limitsChange.parse(input.change);
  const tenant = await findTenantOrThrow(input.tenant, tx);
  const existing = await tx.quotaOverride.findUnique({ where: { tenantId: tenant.id } });
  const before = columnsOf(existing);
  const after = applyChange(before, change);
  const override = await tx.quotaOverride.upsert({
    where: { tenantId: tenant.id },
    update: { ...after, reason: input.reason ?? existing?.reason ?? "", setById: input.setById ?? null },
    create: {
      id: newId("quotaOverride"),
      tenantId: tenant.id,
      ...after,
      reason: input.reason ?? "",
      setById: input.setById ?? null,
    },
  });
  await appendAuditEvent(
    {
      tenantId: tenant.id,
      action: "quota.override.set",
      targetType: "tenant",
      targetId: tenant.id,
      metadata: { before: auditable(before), after: auditable(after), reason: input.reason ?? null },
    },
    ctx,
    tx,
  );
  return { tenant, override };
}

/** An operator's change of a plan's default limits, for every tenant on it (audited on the platform chain). */
export async function setPlanLimits(input: { plan: string; change: LimitsChange }, ctx: ChangeContext, tx: Tx) {
  const change = limitsChange.parse(input.change);
  const plan = await findPlanOrThrow(input.plan, tx);
  const before = columnsOf(plan);
  const after = applyChange(before, change);
  const updated = await tx.plan.update({ where: { id: plan.id }, data: after });
  await appendAuditEvent(
    {
      tenantId: null,
      action: "plan.limits.set",
      targetType: "plan",
      targetId: plan.id,
      metadata: { plan: plan.slug, before: auditable(before), after: auditable(after) },
    },
    ctx,
    tx,
  );
  return updated;
}

/** A tenant admin's limits for one key, within the tenant's (audited; invalidate the key's cache after). */
export async function setKeyLimits(
  input: { tenantId: string; keyId: string; change: LimitsChange },
  ctx: ChangeContext,
  tx: Tx,
) {
  const change = limitsChange.parse(input.change);
  const key = await tx.apiKey.findFirst({
    where: { id: input.keyId, tenantId: input.tenantId },
    omit: { keyHash: false },
  });
  if (!key) throw notFound(`API key "${input.keyId}"`);
  const tenant = await tx.tenant.findUniqueOrThrow({
    where: { id: input.tenantId },
    select: { plan: true, quotaOverride: true },
  });
  const before = columnsOf(key);
  const after = applyChange(before, change);
  assertKeyWithinTenant(after, tenantLimits(tenant.plan, tenant.quotaOverride));
  await tx.apiKey.update({ where: { id: key.id, tenantId: input.tenantId }, data: after });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "api_key.limits.set",
      targetType: "api_key",
      targetId: key.id,
      metadata: { before: auditable(before), after: auditable(after) },
    },
    ctx,
    tx,
  );
  return { keyId: key.id, keyHash: key.keyHash, limits: after };
}
