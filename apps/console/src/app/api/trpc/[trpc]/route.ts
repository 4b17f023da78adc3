import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@aiaas/api";
import { consoleEnv } from "@/server/env.ts";
import { isSameOrigin } from "@/server/same-origin.ts";
import { services } from "@/server/services.ts";
import { sessionUser } from "@/server/session.ts";

export const dynamic = "force-dynamic";

/** The control plane (packages/api), mounted at /api/trpc. */
async function handler(request: Request) {
  const env = consoleEnv();
  if (request.method !== "GET" && !isSameOrigin(request, env.CONSOLE_URL)) {
    return Response.json({ error: { message: "Cross-site request refused." } }, { status: 403 });
  }
  const { db, redis, keyring } = services();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => ({
      db,
      redis,
      pepper: env.API_KEY_PEPPER,
      keyring,
      consoleUrl: env.CONSOLE_URL,
      queuePrefix: env.QUEUE_PREFIX,
      session: await sessionUser(request.headers),
      ip: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
      userAgent: request.headers.get("user-agent"),
      // From the proxy when it sets one, else ours: it is recorded on every audit event.
      requestId: request.headers.get("x-request-id") ?? `req_${crypto.randomUUID().replaceAll("-", "")}`,
    }),
  });
}

export { handler as GET, handler as POST };
