import type { Db } from "@aiaas/db";

/** What every procedure receives; the console builds it per request. */
export interface ApiContext {
  db: Db;
  /** Client address, for audit events. */
  ip: string | null;
  userAgent: string | null;
}
