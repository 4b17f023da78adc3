import { isAPIError } from "better-auth/api";

/** What better-auth's hook context gives us after an endpoint ran (the part we read). */
interface AfterContext {
  path: string;
  headers?: Headers;
  context: {
    returned?: unknown;
    newSession: { user: { id: string; email: string; twoFactorEnabled?: boolean | null } } | null;
    session: { user: { id: string; email: string } } | null;
  };
}

export interface AccountEvent {
  action: string;
  user: { id: string; email: string };
  result: "success" | "failure";
  metadata?: Record<string, unknown>;
}

const SECOND_FACTOR_PATHS: Record<string, "totp" | "recovery_code"> = {
  "/two-factor/verify-totp": "totp",
  "/two-factor/verify-backup-code": "recovery_code",
};

/** A request that carried a session cookie: a signed-in person confirming enrolment, not a sign-in's second step. */
const hasSessionCookie = (headers: Headers | undefined) =>
  /(^|;\s*)(__Host-)?better-auth\.session_token=/.test(headers?.get("cookie") ?? "");

/**
 * The audit events of two-factor sign-in (better-auth's two-factor plugin):
 * the sign-in a second factor completes (with which one: a recovery code
 * works once), enrolment confirmed, and two-factor turned off.
 */
export function twoFactorEvents(ctx: AfterContext): AccountEvent[] {
  const succeeded = !isAPIError(ctx.context.returned);
  const fresh = ctx.context.newSession?.user;
  const factor = SECOND_FACTOR_PATHS[ctx.path];
  if (factor && hasSessionCookie(ctx.headers)) {
    const user = ctx.context.session?.user ?? fresh;
    return succeeded && user && factor === "totp" ? [{ action: "auth.mfa_enable", user, result: "success" }] : [];
  }
  if (factor && succeeded && fresh) {
    return [
      ...(factor === "recovery_code"
        ? [{ action: "auth.mfa_recovery_code_used", user: fresh, result: "success" as const }]
        : []),
      { action: "auth.sign_in", user: fresh, result: "success", metadata: { secondFactor: factor } },
    ];
  }
  if (ctx.path === "/two-factor/disable" && succeeded && ctx.context.session) {
    return [{ action: "auth.mfa_disable", user: ctx.context.session.user, result: "success" }];
  }
  return [];
}
