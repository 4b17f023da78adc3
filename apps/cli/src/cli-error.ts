import { ZodError } from "zod";
import { DomainError } from "@aiaas/core/platform";
import { databaseConnectionProblem } from "@aiaas/db";
import { ModelPullError } from "@aiaas/inference/model-store";

/** Thrown for wrong usage detected by the CLI itself. */
export class UsageError extends Error {
  override name = "UsageError";
}

const connectionCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

function findCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 5) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === "string" && connectionCodes.has(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return findCode(cause, depth + 1);
}

/** The line shown for an error, and the exit code: 2 for usage, 1 otherwise. */
export function describeCliError(error: unknown, databaseHost: string | null): { message: string; exitCode: number } {
  if (error instanceof ZodError) {
    const problems = error.issues.map(
      (issue) => (issue.path.length ? `${issue.path.join(".")}: ` : "") + issue.message,
    );
    return { message: problems.join("; "), exitCode: 2 };
  }
  if (error instanceof UsageError) return { message: error.message, exitCode: 2 };
  if (error instanceof DomainError) return { message: error.message, exitCode: 1 };
  if (error instanceof ModelPullError) return { message: error.message, exitCode: error.usage ? 2 : 1 };
  const where = `the database at ${databaseHost ?? "DATABASE_URL"}`;
  const problem = databaseConnectionProblem(error);
  if (problem) return { message: `${where}: ${problem}`, exitCode: 1 };
  const code = findCode(error);
  if (code) return { message: `${where}: cannot reach the server (${code})`, exitCode: 1 };
  return { message: error instanceof Error ? error.message : String(error), exitCode: 1 };
}
