import { isAPIError } from "better-auth/api";
import { consoleEnv } from "@/server/env.ts";
import { crossSiteRefusal } from "@/server/same-origin.ts";
import { services } from "@/server/services.ts";

export const dynamic = "force-dynamic";

/**
 * Signing out as a plain form post, so it works before the page has hydrated
 * (and without JavaScript): better-auth ends the session, and the browser
 * goes to the sign-in page with the session cookies cleared.
 */
export async function POST(request: Request) {
  const refusal = crossSiteRefusal(request, consoleEnv().CONSOLE_URL);
  if (refusal) return refusal;
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
