import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@aiaas/api";
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
    createContext: () => requestContext(request),
  });
}

export { handler as GET, handler as POST };
