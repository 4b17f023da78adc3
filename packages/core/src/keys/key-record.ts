import type { DbOrTx } from "@aiaas/db";

/** What the gateway needs to know about a key, as cached (times in epoch ms). */
export interface KeyRecord {
  id: string;
  tenantId: string;
  name: string;
  environment: "live" | "test";
  scopes: string[];
  models: string[];
  expiresAt: number | null;
  revokedAt: number | null;
  graceEndsAt: number | null;
  limits: {
    rpm: number | null;
    tpm: number | null;
    rpd: number | null;
    concurrent: number | null;
    budgetMicros: string | null;
    budgetPeriod: "day" | "month" | null;
  };
}

const ms = (date: Date | null) => date?.getTime() ?? null;

/** The key with this hash, straight from Postgres. */
export const loadKeyRecord = (keyHash: string, db: DbOrTx) => loadKeyRecordWhere({ keyHash }, db);

/** A key by its id (a batch runs as the key that created it), straight from Postgres. */
export const loadKeyRecordById = (id: string, db: DbOrTx) => loadKeyRecordWhere({ id }, db);

async function loadKeyRecordWhere(
  where: { keyHash: string } | { id: string },
  db: DbOrTx,
): Promise<{ record: KeyRecord } | null> {
  const key = await db.apiKey.findUnique({ where });
  if (!key) return null;
  return {
    record: {
      id: key.id,
      tenantId: key.tenantId,
      name: key.name,
      environment: key.environment,
      scopes: key.scopes,
      models: key.models,
      expiresAt: ms(key.expiresAt),
      revokedAt: ms(key.revokedAt),
      graceEndsAt: ms(key.graceEndsAt),
      limits: {
        rpm: key.limitRpm,
        tpm: key.limitTpm,
        rpd: key.limitRpd,
        concurrent: key.limitConcurrent,
        budgetMicros: key.limitBudgetMicros?.toString() ?? null,
        budgetPeriod: key.limitBudgetPeriod,
      },
    },
  };
}
