import { isAPIError } from "better-auth/api";
import { invalidateAuthCache, revokeSessionKeys } from "@aiaas/core/keys";
import { clientIpOf } from "@aiaas/core/platform";
import { consoleEnv } from "@/server/env.ts";
import { crossSiteRefusal } from "@/server/same-origin.ts";
import { services } from "@/server/services.ts";
import { sessionUser } from "@/server/session.ts";

export const dynamic = "force-dynamic";

/**
 * Signing out as a plain form post, so it works before the page has hydrated
 * (and without JavaScript): the session's playground keys are revoked (at
 * every gateway at once), better-auth ends the session, and the browser goes
 * to the sign-in page with the session cookies cleared.
 */
export async function POST(request: Request) {
  const refusal = crossSiteRefusal(request, consoleEnv().CONSOLE_URL);
  if (refusal) return refusal;
  await endPlaygroundKeys(request);
  const headers = new Headers({ location: "/sign-in" });
  try {
    const signedOut = await services().auth.api.signOut({ headers: request.headers, asResponse: true });
    for (const cookie of signedOut.headers.getSetCookie()) headers.append("set-cookie", cookie);
  } catch (error) {
    // No session to end (already signed out, or expired): the sign-in page is still where this goes.
    if (!isAPIError(error)) throw error;
  }
  return new Response(null, { status: 303, headers });
}

async function endPlaygroundKeys(request: Request) {
  const user = await sessionUser(request.headers);
  if (!user) return;
  // The session's playground keys may be in any of the person's organisations: the platform role.
  const { platformDb, redis } = services();
  const change = {
    actor: { type: "user" as const, id: user.userId, label: user.email },
    ip: clientIpOf(request.headers),
    userAgent: request.headers.get("user-agent"),
  };
  const keyHashes = await platformDb.$transaction((tx) =>
    revokeSessionKeys({ sessionId: user.sessionId, userId: user.userId }, change, tx),
  );
  await Promise.all(keyHashes.map((keyHash) => invalidateAuthCache(redis, { keyHash, revoked: true })));
}
