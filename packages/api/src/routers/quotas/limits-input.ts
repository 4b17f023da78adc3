import { z } from "zod";
import { usdToMicros } from "@aiaas/core/billing";
import { type LimitsChange } from "@aiaas/core/quota";

const count = (what: string) => z.number().int().positive(`${what} must be a positive whole number.`).nullish();

/**
 * Limits as the console's forms send them: a number sets a limit, null
 * clears it, absent leaves it; the budget in US dollars.
 */
export const limitsInput = z
  .object({
    rpm: count("Requests per minute"),
    tpm: count("Tokens per minute"),
    rpd: count("Requests per day"),
    concurrent: count("Concurrent requests"),
    budgetUsd: z.number().positive("The budget must be more than 0.").max(1_000_000_000).nullish(),
    budgetPeriod: z.enum(["day", "month"]).nullish(),
  })
  .strict();
export type LimitsInput = z.infer<typeof limitsInput>;

export function toLimitsChange(input: LimitsInput): LimitsChange {
  const { budgetUsd, budgetPeriod, ...counts } = input;
  if (budgetUsd === undefined) return counts;
  if (budgetUsd === null) return { ...counts, budgetMicros: null, budgetPeriod: null };
  return { ...counts, budgetMicros: usdToMicros(budgetUsd), budgetPeriod: budgetPeriod ?? "month" };
}
