import type { DbOrTx } from "./client.ts";

/** Resolves when Postgres answers a trivial query; used by readiness checks. */
export async function pingDatabase(db: DbOrTx): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
