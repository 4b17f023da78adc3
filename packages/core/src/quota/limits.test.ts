import { describe, expect, it } from "vitest";
import { hasLimits, noLimits, tenantLimits } from "./limits.ts";

const columns = (values: Partial<Record<string, unknown>> = {}) =>
  ({
    limitRpm: null,
    limitTpm: null,
    limitRpd: null,
    limitConcurrent: null,
    limitBudgetMicros: null,
    limitBudgetPeriod: null,
    ...values,
  }) as Parameters<typeof tenantLimits>[0] & object;

describe("a tenant's limits", () => {
  it("are its plan's where the operator set nothing", () => {
    const plan = columns({ limitRpm: 60, limitBudgetMicros: 5_000_000n, limitBudgetPeriod: "month" });
    expect(tenantLimits(plan, null)).toEqual({ ...noLimits, rpm: 60, budgetMicros: 5_000_000n, budgetPeriod: "month" });
  });

  it("take each override where set, the budget with its period", () => {
    const plan = columns({ limitRpm: 60, limitTpm: 1000, limitBudgetMicros: 5_000_000n, limitBudgetPeriod: "month" });
    const override = columns({ limitRpm: 600, limitBudgetMicros: 1_000n, limitBudgetPeriod: "day" });
    expect(tenantLimits(plan, override)).toEqual({
      ...noLimits,
      rpm: 600,
      tpm: 1000,
      budgetMicros: 1_000n,
      budgetPeriod: "day",
    });
  });

  it("are none without a plan, and a budget without a period is monthly", () => {
    expect(hasLimits(tenantLimits(null, null))).toBe(false);
    expect(tenantLimits(columns({ limitBudgetMicros: 7n }), null).budgetPeriod).toBe("month");
  });
});
