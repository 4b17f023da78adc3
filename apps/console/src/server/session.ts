import "server-only";
import type { SessionUser } from "@aiaas/api";
import { authenticatedAt } from "@aiaas/core/auth";
import { services } from "./services.ts";

/** The signed-in user of a request, from its session cookie; null when signed out. */
export async function sessionUser(headers: Headers): Promise<SessionUser | null> {
  const result = await services().auth.api.getSession({ headers });
  if (!result) return null;
  const { session, user } = result as typeof result & {
    session: { activeTenantId?: string | null; reauthenticatedAt?: Date | null; ssoTenantId?: string | null };
    user: { role?: string | null; twoFactorEnabled?: boolean | null };
  };
  return {
    sessionId: session.id,
    userId: user.id,
    email: user.email,
    name: user.name,
    platformRole: user.role === "operator" ? "operator" : "user",
    activeTenantId: session.activeTenantId ?? null,
    emailVerified: user.emailVerified,
    twoFactorEnabled: user.twoFactorEnabled === true,
    ssoTenantId: session.ssoTenantId ?? null,
    authenticatedAt: authenticatedAt(session),
  };
}
