import "server-only";
import { createCaller } from "@aiaas/api";
import { clientIpOf } from "@aiaas/core/platform";
import { consoleEnv } from "./env.ts";
import { services } from "./services.ts";
import { sessionUser } from "./session.ts";

/** The control plane's context for one HTTP request: connections, the signed-in user, and what audit events record. */
export async function requestContext(request: Request) {
  const env = consoleEnv();
  const { db, platformDb, operatorDb, redis, keyring, stripe } = services();
  return {
    db,
    platformDb,
    operatorDb,
    redis,
    pepper: env.API_KEY_PEPPER,
    keyring,
    ssoAllowPrivateIdps: env.SSO_ALLOW_PRIVATE_IDPS,
    consoleUrl: env.CONSOLE_URL,
    queuePrefix: env.QUEUE_PREFIX,
    stripe,
    session: await sessionUser(request.headers),
    abuseLimits: { tenantsPerUser: env.MAX_TENANTS_PER_USER, invitationsPerDay: env.MAX_INVITATIONS_PER_DAY },
    ip: clientIpOf(request.headers),
    userAgent: request.headers.get("user-agent"),
    // From the proxy when it sets one, else ours: it is recorded on every audit event.
    requestId: request.headers.get("x-request-id") ?? `req_${crypto.randomUUID().replaceAll("-", "")}`,
  };
}

/** The control plane for a route handler's request, as the signed-in user (same procedures and permissions as the pages). */
export async function routeCaller(request: Request) {
  return createCaller(await requestContext(request));
}
