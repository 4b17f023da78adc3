import { TRPCError } from "@trpc/server";
import { databaseConnectionProblem } from "@aiaas/db";

/**
 * Postgres out of reach (a restart, a failover) as a 503 the console can
 * tell the person to retry, or the error unchanged: it is the server's
 * trouble, not the caller's and not a bug.
 */
export function unavailableIfDatabaseDown(error: unknown): unknown {
  const problem = databaseConnectionProblem(error);
  if (!problem) return error;
  return new TRPCError({
    code: "SERVICE_UNAVAILABLE",
    message: "The database is unavailable right now. Try again in a moment.",
    cause: error instanceof Error ? error : new Error(problem),
  });
}
