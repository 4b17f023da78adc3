/** Prisma's connection-level error codes, in words a person can act on. */
const connectionProblems: Record<string, string> = {
  P1000: "authentication failed",
  P1001: "cannot reach the server",
  P1002: "the server did not answer in time",
  P1003: "the database does not exist",
  P1008: "the server did not answer in time",
  P1010: "access denied",
  P1011: "the TLS connection failed",
  P1017: "the server closed the connection",
};

/** What the Postgres driver adapter reports under any Prisma code (a raw query's P2010 too), by kind. */
const adapterProblems: Record<string, string> = {
  AuthenticationFailed: "authentication failed",
  DatabaseNotReachable: "cannot reach the server",
  DatabaseDoesNotExist: "the database does not exist",
  DatabaseAccessDenied: "access denied",
  SocketTimeout: "the server did not answer in time",
  TlsConnectionError: "the TLS connection failed",
  ConnectionClosed: "the server closed the connection",
  TooManyConnections: "the server has no connections left",
};

/** SQLSTATEs that are about the server, not the query: connection exceptions, shutdowns, start-ups. */
function serverState(code: string): string | null {
  if (code.startsWith("08")) return "the connection failed";
  if (code === "57P01" || code === "57P02") return "the server is shutting down";
  if (code === "57P03") return "the server is starting up";
  if (code === "53300") return "the server has no connections left";
  return null;
}

/** node-postgres's own words for a connection that broke, thrown unwrapped from a transaction's connection. */
const brokenConnection =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * What went wrong connecting to the database (unreachable, restarting, out
 * of connections), or null for any other error: a failure of the server,
 * never of the query or of who asked.
 */
export function databaseConnectionProblem(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const { code, meta, message } = error as { code?: unknown; meta?: unknown; message?: unknown };
  if (typeof code === "string" && connectionProblems[code]) return connectionProblems[code];
  // node-postgres's own error (a pool's idle connection), unwrapped: a SQLSTATE and a severity.
  if (typeof code === "string" && typeof (error as { severity?: unknown }).severity === "string")
    return serverState(code);
  const cause = (meta as { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } } | undefined)
    ?.driverAdapterError?.cause;
  if (typeof cause?.kind === "string" && adapterProblems[cause.kind]) return adapterProblems[cause.kind] ?? null;
  if (cause?.kind === "postgres" && typeof cause.code === "string") return serverState(cause.code);
  if (typeof message === "string" && brokenConnection.test(message)) return "the server closed the connection";
  return null;
}
