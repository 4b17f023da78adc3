/** Prisma's connection-level error codes, in words a person can act on. */
const connectionProblems: Record<string, string> = {
  P1000: "authentication failed",
  P1001: "cannot reach the server",
  P1002: "the server did not answer in time",
  P1003: "the database does not exist",
  P1010: "access denied",
  P1017: "the server closed the connection",
};

/** What went wrong connecting to the database, or null for any other error. */
export function databaseConnectionProblem(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? (connectionProblems[code] ?? null) : null;
}
