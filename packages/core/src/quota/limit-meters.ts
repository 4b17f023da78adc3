import type { LimitName, LimitSet } from "./limits.ts";
import type { ScopeUse } from "./quota-gate.ts";
import { nextUtcDay } from "../time/utc-calendar.ts";

/** One limit beside what is used of it now: what the console draws as a bar and the CLI prints as a row. */
export interface LimitMeter {
  name: LimitName;
  label: string;
  /** Budgets are in micro-dollars, the rest are counts. */
  unit: "count" | "micros";
  /** null: no such limit. */
  limit: number | null;
  /** null: Redis could not say. */
  used: number | null;
  /** When the count starts again (requests per day and budgets); the per-minute ones roll. */
  resetsAt: Date | null;
}

export function limitMeters(limits: LimitSet, use: ScopeUse | null, now = new Date()): LimitMeter[] {
  const count = (name: LimitName, label: string, limit: number | null, used: number | undefined) => ({
    name,
    label,
    unit: "count" as const,
    limit,
    used: used ?? null,
    resetsAt: name === "rpd" ? nextUtcDay(now) : null,
  });
  return [
    count("rpm", "Requests per minute", limits.rpm, use?.requests),
    count("tpm", "Tokens per minute", limits.tpm, use?.tokens),
    count("rpd", "Requests per day (UTC)", limits.rpd, use?.requestsToday),
    count("concurrent", "Concurrent requests", limits.concurrent, use?.inFlight),
    {
      name: "budget",
      label: `Budget per ${limits.budgetPeriod ?? "month"}`,
      unit: "micros",
      limit: limits.budgetMicros === null ? null : Number(limits.budgetMicros),
      used: use ? Number(use.budgetUsedMicros) : null,
      resetsAt: use?.budgetResetAt ?? null,
    },
  ];
}
