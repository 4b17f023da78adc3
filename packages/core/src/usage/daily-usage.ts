import type { DbOrTx } from "@aiaas/db";
import { startOfUtcDay, utcDayKey } from "../time/utc-calendar.ts";

const DAY_MS = 86_400_000;

export interface UsageDay {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  images: number;
  costMicros: bigint;
}

export type UsageTotals = Omit<UsageDay, "day">;

/**
 * A tenant's usage per UTC day over the last `days` days (today included),
 * from `usage_daily`, with days without calls as zeros, and their totals.
 */
export async function dailyUsage(
  { tenantId, days, now = new Date() }: { tenantId: string; days: number; now?: Date },
  db: DbOrTx,
) {
  const today = startOfUtcDay(now).getTime();
  const from = new Date(today - (days - 1) * DAY_MS);
  const rows = await db.usageDaily.groupBy({
    by: ["day"],
    where: { tenantId, day: { gte: from, lte: new Date(today) } },
    _sum: { requests: true, errors: true, inputTokens: true, outputTokens: true, images: true, costMicros: true },
  });
  const byDay = new Map(rows.map((row) => [utcDayKey(row.day), row._sum]));
  const series: UsageDay[] = Array.from({ length: days }, (_, index) => {
    const day = utcDayKey(new Date(from.getTime() + index * DAY_MS));
    const sum = byDay.get(day);
    return {
      day,
      requests: sum?.requests ?? 0,
      errors: sum?.errors ?? 0,
      // Token counts per tenant and day stay far below 2^53.
      inputTokens: Number(sum?.inputTokens ?? 0n),
      outputTokens: Number(sum?.outputTokens ?? 0n),
      images: sum?.images ?? 0,
      costMicros: sum?.costMicros ?? 0n,
    };
  });
  const totals = series.reduce<UsageTotals>(
    (total, day) => ({
      requests: total.requests + day.requests,
      errors: total.errors + day.errors,
      inputTokens: total.inputTokens + day.inputTokens,
      outputTokens: total.outputTokens + day.outputTokens,
      images: total.images + day.images,
      costMicros: total.costMicros + day.costMicros,
    }),
    { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, images: 0, costMicros: 0n },
  );
  return { from: utcDayKey(from), to: utcDayKey(new Date(today)), days: series, totals };
}
