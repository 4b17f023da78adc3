import { createHash } from "node:crypto";
import { accountAuditChain, appendAuditEvent } from "@aiaas/core/audit";
import type { ApiContext, SessionUser } from "./context.ts";

/** One audit event per person, procedure and refusal in this many seconds: a client retrying in a loop cannot flood the log. */
const REFUSAL_AUDIT_WINDOW_SECONDS = 60;

/**
 * Writes `access.denied` for a signed-in person the control plane refused
 * (a role without the scope, a non-operator calling `admin.*`, a suspended
 * organisation, a missing second factor…), at most once a minute per person,
 * procedure and reason, in the active tenant's log (its owners see it) or,
 * without one, on the person's account chain (never the platform's lock). A
 * failure to audit is logged; the refusal stands either way.
 */
export async function auditRefusal(ctx: ApiContext & { session: SessionUser }, path: string, message: string) {
  const { session } = ctx;
  const reason = createHash("sha256").update(message).digest("base64url").slice(0, 12);
  try {
    const first = await ctx.redis.set(
      `${ctx.queuePrefix}:audit-refused:${session.userId}:${path}:${reason}`,
      "1",
      "EX",
      REFUSAL_AUDIT_WINDOW_SECONDS,
      "NX",
    );
    if (first !== "OK") return;
    await ctx.platformDb.$transaction((tx) =>
      appendAuditEvent(
        {
          tenantId: session.activeTenantId,
          // The active tenant's chain, where its owners read it; without one, the person's account chain.
          ...(!session.activeTenantId && { chain: accountAuditChain(session.email) }),
          action: "access.denied",
          result: "denied",
          targetType: "procedure",
          targetId: path,
          metadata: { message },
        },
        {
          actor: { type: "user", id: session.userId, label: session.email },
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          requestId: ctx.requestId,
        },
        tx,
      ),
    );
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        time: new Date().toISOString(),
        msg: "could not audit a refused control-plane request",
        path,
        userId: session.userId,
        err: String(error),
      }),
    );
  }
}
