import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@aiaas/api";
import { db } from "@/server-db.ts";

export const dynamic = "force-dynamic";

/** The control plane (packages/api), mounted at /api/trpc. */
const handler = (request: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => ({
      db: db(),
      ip: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
      userAgent: request.headers.get("user-agent"),
    }),
  });

export { handler as GET, handler as POST };
