// @aiaas/core/quota: Limits and budgets: the admission scripts, plans, overrides, live usage.
export {
  QuotaGate,
  budgetPeriod,
  type QuotaScope,
  type ScopeUse,
  type Reservation,
  type Admission as QuotaDecision,
} from "../quota/quota-gate.ts";
export { spentInBudgetPeriod } from "../quota/budget-spend.ts";
export { ADMIT_SCRIPT, SETTLE_SCRIPT } from "../quota/admission-script.ts";
export { tenantLimits, hasLimits, noLimits, type LimitSet, type LimitName } from "../quota/limits.ts";
export { setTenantQuota, setKeyLimits, setPlanLimits, limitsChange, type LimitsChange } from "../quota/set-limits.ts";
export { limitMeters, type LimitMeter } from "../quota/limit-meters.ts";
export { liveTenantUsage } from "../quota/live-tenant-usage.ts";
export { listPlans } from "../quota/list-plans.ts";
export { loadTenantQuota, meterTenantQuota, type TenantQuota } from "../quota/tenant-quota.ts";
export { BudgetAlerts, budgetAlertLevel } from "../quota/budget-alerts.ts";
