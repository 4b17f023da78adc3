import { databaseConnectionProblem } from "./database-errors.ts";

/**
 * Loads a value; when Postgres is out of reach (a restart, a failover),
 * answers with the last one loaded instead, if there is one. For what
 * changes rarely and is read on every request: an outage of seconds then
 * fails no request. Any other error is thrown.
 */
export async function loadOrStale<T>(load: () => Promise<T>, stale: () => T | undefined): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const kept = databaseConnectionProblem(error) ? stale() : undefined;
    if (kept === undefined) throw error;
    return kept;
  }
}
