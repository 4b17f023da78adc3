import type { DbOrTx } from "@aiaas/db";
import type { UsageDay } from "./daily-usage.ts";
import { startOfUtcDay, utcDayKey } from "../time/utc-calendar.ts";

const DAY_MS = 86_400_000;

/** One UTC day's use by one key of one model. */
export type UsageRow = UsageDay & { keyId: string; keyName: string; model: string };

/**
 * A tenant's usage per UTC day, key and model over the last `days` days,
 * from the daily roll-up, newest first, with the names people know.
 */
export async function usageBreakdown(
  { tenantId, days, now = new Date() }: { tenantId: string; days: number; now?: Date },
  db: DbOrTx,
): Promise<UsageRow[]> {
  const today = startOfUtcDay(now).getTime();
  const rows = await db.usageDaily.findMany({
    where: { tenantId, day: { gte: new Date(today - (days - 1) * DAY_MS), lte: new Date(today) } },
    orderBy: [{ day: "desc" }, { costMicros: "desc" }],
    select: {
      day: true,
      requests: true,
      errors: true,
      inputTokens: true,
      outputTokens: true,
      images: true,
      costMicros: true,
      apiKey: { select: { id: true, name: true } },
      model: { select: { slug: true } },
    },
  });
  return rows.map((row) => ({
    day: utcDayKey(row.day),
    keyId: row.apiKey.id,
    keyName: row.apiKey.name,
    model: row.model.slug,
    requests: row.requests,
    errors: row.errors,
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    images: row.images,
    costMicros: row.costMicros,
  }));
}
