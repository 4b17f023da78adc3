import type { Db } from "@aiaas/db";

export interface PurgeOptions {
  /** Rows cleared per statement, so no one statement holds many row locks for long. */
  batchSize?: number;
}

/**
 * Retention: clears the stored prompt and completion of every request whose
 * `purge_after` has passed, across tenants (a system task; the worker runs it
 * on a schedule), in batches. Rows another purge is clearing are skipped,
 * not waited for. Returns how many requests were cleared.
 */
export async function purgeExpiredPrompts(db: Db, now: Date = new Date(), options: PurgeOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  let purged = 0;
  for (;;) {
    const count = await db.$executeRaw`
      UPDATE requests
      SET prompt_ciphertext = NULL, response_ciphertext = NULL, purge_after = NULL
      WHERE id IN (
        SELECT id FROM requests
        WHERE purge_after <= ${now}
        ORDER BY purge_after
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )`;
    purged += count;
    if (count < batchSize) return purged;
  }
}
