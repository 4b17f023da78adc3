import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, unavailableIfDatabaseDown } from "@aiaas/api";
import { consoleEnv } from "@/server/env.ts";
import { crossSiteRefusal } from "@/server/same-origin.ts";
import { requestContext } from "@/server/route-caller.ts";

export const dynamic = "force-dynamic";

/** The control plane (packages/api), mounted at /api/trpc. */
async function handler(request: Request) {
  const env = consoleEnv();
  const refusal = request.method === "GET" ? undefined : crossSiteRefusal(request, env.CONSOLE_URL);
  if (refusal) return refusal;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    // Reading the session needs Postgres: out of reach, that is a 503 to retry, as in any procedure.
    createContext: () =>
      requestContext(request).catch((error: unknown) => {
        throw unavailableIfDatabaseDown(error);
      }),
    // The server's own failures are logged (a person's mistakes are answered, not logged).
    onError: ({ error, path }) => {
      if (error.code !== "INTERNAL_SERVER_ERROR" && error.code !== "SERVICE_UNAVAILABLE") return;
      console.error(
        JSON.stringify({
          level: "error",
          time: new Date().toISOString(),
          msg: "control plane request failed",
          path,
          code: error.code,
          err: String(error.cause ?? error),
        }),
      );
    },
  });
}

export { handler as GET, handler as POST };
