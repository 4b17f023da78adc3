import { handleScimRequest } from "@aiaas/core/scim";
import { consoleEnv } from "@/server/env.ts";
import { services } from "@/server/services.ts";

export const dynamic = "force-dynamic";

/** SCIM 2.0 for organisations' identity providers (docs/sso.md): Users and Groups, under a tenant's bearer token. */
function handler(request: Request) {
  const env = consoleEnv();
  const { platformDb, redis } = services();
  return handleScimRequest(request, { db: platformDb, redis, pepper: env.API_KEY_PEPPER, baseUrl: env.CONSOLE_URL });
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
