import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, sessionMiddleware } from "better-auth/api";
import { z } from "zod";
import { clientIpOf } from "../net/client-address.ts";
import type { AuthThrottle } from "./auth-throttle.ts";

/** How long a sign-in, or a confirmed password, allows what needs one (creating and rolling API keys). */
export const REAUTHENTICATE_AFTER_MINUTES = 15;

/** When the person in a session last proved who they are: signing in, or confirming their password since. */
export const authenticatedAt = (session: { createdAt: Date; reauthenticatedAt?: Date | null }): Date =>
  session.reauthenticatedAt && session.reauthenticatedAt > session.createdAt
    ? session.reauthenticatedAt
    : session.createdAt;

type Audit = (
  action: string,
  actor: { id: string; label: string },
  result: "success" | "failure",
  headers?: Headers,
) => Promise<void>;

/**
 * ASVS 3.7.1: `POST /api/auth/reauthenticate {password}` confirms the signed-in
 * person's password and stamps the session (`reauthenticatedAt`). Guesses
 * count against the same (account, address) limits as sign-in, and each
 * confirmation, right or wrong, is audited.
 */
export function reauthentication(throttle: AuthThrottle, audit: Audit): BetterAuthPlugin {
  return {
    id: "reauthentication",
    endpoints: {
      reauthenticate: createAuthEndpoint(
        "/reauthenticate",
        { method: "POST", body: z.object({ password: z.string().min(1) }), use: [sessionMiddleware] },
        async (ctx) => {
          const { session, user } = ctx.context.session;
          const ip = clientIpOf(ctx.headers);
          await throttle.admit("/sign-in/email", ip, user.email);
          const account = await ctx.context.internalAdapter.findCredentialAccount(user.id);
          if (!account?.password) {
            // Single sign-on only: the IdP is where they prove who they are.
            throw new APIError("BAD_REQUEST", {
              code: "NO_PASSWORD",
              message: `You sign in with single sign-on, so there is no password to confirm. Sign out and sign in again to continue (it counts for ${REAUTHENTICATE_AFTER_MINUTES} minutes).`,
            });
          }
          const matches = account?.password
            ? await ctx.context.password.verify({ hash: account.password, password: ctx.body.password })
            : false;
          const actor = { id: user.id, label: user.email };
          if (!matches) {
            await audit("auth.reauthenticate", actor, "failure", ctx.headers);
            throw new APIError("BAD_REQUEST", { code: "INVALID_PASSWORD", message: "That is not your password." });
          }
          await throttle.signedIn(ip, user.email);
          await ctx.context.internalAdapter.updateSession(session.token, { reauthenticatedAt: new Date() });
          await audit("auth.reauthenticate", actor, "success", ctx.headers);
          return ctx.json({ status: true });
        },
      ),
    },
  };
}
