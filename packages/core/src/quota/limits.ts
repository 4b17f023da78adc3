/** One scope's limits (a key's, or its tenant's); null = unlimited. Money in micro-units. */
export interface LimitSet {
  rpm: number | null;
  tpm: number | null;
  rpd: number | null;
  concurrent: number | null;
  budgetMicros: bigint | null;
  budgetPeriod: "day" | "month" | null;
}

export type LimitName = "rpm" | "tpm" | "rpd" | "concurrent" | "budget";

export const noLimits: LimitSet = {
  rpm: null,
  tpm: null,
  rpd: null,
  concurrent: null,
  budgetMicros: null,
  budgetPeriod: null,
};

export const hasLimits = (limits: LimitSet) =>
  limits.rpm !== null ||
  limits.tpm !== null ||
  limits.rpd !== null ||
  limits.concurrent !== null ||
  limits.budgetMicros !== null;

/** The limit columns plans, overrides and keys share. */
export type LimitColumns = {
  limitRpm: number | null;
  limitTpm: number | null;
  limitRpd: number | null;
  limitConcurrent: number | null;
  limitBudgetMicros: bigint | null;
  limitBudgetPeriod: "day" | "month" | null;
};

const fromColumns = (row: LimitColumns): LimitSet => ({
  rpm: row.limitRpm,
  tpm: row.limitTpm,
  rpd: row.limitRpd,
  concurrent: row.limitConcurrent,
  budgetMicros: row.limitBudgetMicros,
  budgetPeriod: row.limitBudgetMicros === null ? null : (row.limitBudgetPeriod ?? "month"),
});

/** A tenant's limits: its plan's, each replaced by the operator's override where that is set. */
export function tenantLimits(plan: LimitColumns | null, override: LimitColumns | null): LimitSet {
  const base = plan ? fromColumns(plan) : noLimits;
  if (!override) return base;
  const own = fromColumns(override);
  const budgetOverridden = override.limitBudgetMicros !== null;
  return {
    rpm: own.rpm ?? base.rpm,
    tpm: own.tpm ?? base.tpm,
    rpd: own.rpd ?? base.rpd,
    concurrent: own.concurrent ?? base.concurrent,
    budgetMicros: budgetOverridden ? own.budgetMicros : base.budgetMicros,
    budgetPeriod: budgetOverridden ? own.budgetPeriod : base.budgetPeriod,
  };
}
