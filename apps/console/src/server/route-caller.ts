import "server-only";
import { createCaller } from "@aiaas/api";
import { consoleEnv } from "./env.ts";
import { services } from "./services.ts";
import { sessionUser } from "./session.ts";

/** The control plane for a route handler's request, as the signed-in user (same procedures and permissions as the pages). */
export async function routeCaller(request: Request) {
  const env = consoleEnv();
  const { db, redis, keyring } = services();
  return createCaller({
    db,
    redis,
    pepper: env.API_KEY_PEPPER,
    keyring,
    consoleUrl: env.CONSOLE_URL,
    queuePrefix: env.QUEUE_PREFIX,
    session: await sessionUser(request.headers),
    ip: null,
    userAgent: request.headers.get("user-agent"),
    requestId: null,
  });
}
