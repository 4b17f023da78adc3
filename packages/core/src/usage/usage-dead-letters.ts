import type { Db } from "@aiaas/db";

/** A usage record that could not be written, as operators see it (never its prompt). */
export interface UsageDeadLetterView {
  id: string;
  requestId: string;
  tenantId: string;
  /** The tenant's name, while it exists (a deleted tenant's records are the usual dead letters). */
  tenantName: string | null;
  reason: string;
  costMicros: bigint | null;
  createdAt: Date;
}

/** The newest usage records that went to the dead-letter table instead of the ledger, and how many there are. */
export async function listUsageDeadLetters(
  db: Db,
  take = 50,
): Promise<{ total: number; letters: UsageDeadLetterView[] }> {
  const [total, rows] = await Promise.all([
    db.usageDeadLetter.count(),
    db.usageDeadLetter.findMany({ orderBy: { createdAt: "desc" }, take }),
  ]);
  const tenants = await db.tenant.findMany({
    where: { id: { in: [...new Set(rows.map((row) => row.tenantId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(tenants.map((tenant) => [tenant.id, tenant.name]));
  const letters = rows.map((row) => {
    const cost = (row.record as { costMicros?: unknown } | null)?.costMicros;
    return {
      id: row.id,
      requestId: row.requestId,
      tenantId: row.tenantId,
      tenantName: names.get(row.tenantId) ?? null,
      reason: row.reason,
      costMicros: typeof cost === "string" && /^\d+$/.test(cost) ? BigInt(cost) : null,
      createdAt: row.createdAt,
    };
  });
  return { total, letters };
}
