import { isAPIError } from "better-auth/api";
import type { Auth } from "./create-auth.ts";

/**
 * better-auth's handler, with errors raised before its endpoints run (its
 * rate limiter, when Redis is down) answered with their status and message
 * instead of escaping as a 500.
 */
export async function handleAuthRequest(auth: Auth, request: Request): Promise<Response> {
  try {
    return await auth.handler(request);
  } catch (error) {
    if (!isAPIError(error)) throw error;
    return Response.json({ code: error.status, message: error.message }, { status: error.statusCode });
  }
}
