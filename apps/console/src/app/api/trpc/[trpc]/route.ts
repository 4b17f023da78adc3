import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@aiaas/api";
import { consoleEnv } from "@/server/env.ts";
import { isSameOrigin } from "@/server/same-origin.ts";
import { requestContext } from "@/server/route-caller.ts";

export const dynamic = "force-dynamic";

/** The control plane (packages/api), mounted at /api/trpc. */
async function handler(request: Request) {
  const env = consoleEnv();
  if (request.method !== "GET" && !isSameOrigin(request, env.CONSOLE_URL)) {
    return Response.json({ error: { message: "Cross-site request refused." } }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => requestContext(request),
  });
}

export { handler as GET, handler as POST };
