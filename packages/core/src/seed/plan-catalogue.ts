import type { Prisma } from "@aiaas/db";

type PlanSeed = Omit<Prisma.PlanCreateInput, "id">;

/** Default plans, created once; operators edit them afterwards. */
export const planCatalogue: readonly PlanSeed[] = [
  {
    slug: "free",
    name: "Free",
    description: "Try the platform: a small monthly allowance, prepaid top-ups.",
    isDefault: true,
    prepaid: true,
    includedUsageMicros: 5_000_000n,
    limitRpm: 60,
    limitTpm: 40_000,
    limitRpd: 2_000,
    limitConcurrent: 4,
    limitBudgetMicros: 5_000_000n,
    limitBudgetPeriod: "month",
  },
  {
    slug: "pro",
    name: "Pro",
    description: "Monthly subscription with included usage and metered overage.",
    priceMonthlyMicros: 20_000_000n,
    includedUsageMicros: 20_000_000n,
    limitRpm: 600,
    limitTpm: 400_000,
    limitRpd: 100_000,
    limitConcurrent: 32,
    limitBudgetMicros: 500_000_000n,
    limitBudgetPeriod: "month",
  },
  {
    slug: "enterprise",
    name: "Enterprise",
    description: "Custom terms: limits set per tenant by operators.",
  },
];
