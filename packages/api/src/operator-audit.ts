import { appendAuditEvent } from "@aiaas/core/audit";
import type { ChangeContext } from "@aiaas/core/platform";
import type { ApiContext } from "./context.ts";

/** One `operator.viewed` per operator, procedure and tenant in this many seconds: paging through a table is one look. */
const VIEW_AUDIT_WINDOW_SECONDS = 60;

/** The tenant an operator's call is about, when its input names one. */
export function tenantOfInput(input: unknown): string | null {
  if (typeof input !== "object" || input === null || !("tenantId" in input)) return null;
  return typeof input.tenantId === "string" ? input.tenantId : null;
}

/**
 * Writes `operator.viewed` for an operator's read across tenants (what
 * changes is audited by the change itself): on the tenant's own chain when
 * the call names a tenant (its owners see that an operator looked), else on
 * the platform's, at most once a minute per operator, procedure and tenant.
 * The read waits for the record: an operator's look that cannot be written
 * down is refused (the error reaches the caller). With Redis out of reach
 * every look is written.
 */
export async function auditOperatorView(
  ctx: ApiContext,
  change: ChangeContext,
  path: string,
  tenantId: string | null,
): Promise<void> {
  const first = await ctx.redis
    .set(
      `${ctx.queuePrefix}:audit-viewed:${change.actor.id}:${path}:${tenantId ?? "-"}`,
      "1",
      "EX",
      VIEW_AUDIT_WINDOW_SECONDS,
      "NX",
    )
    .catch(() => "OK");
  if (first !== "OK") return;
  await ctx.operatorDb.$transaction((tx) =>
    appendAuditEvent(
      { tenantId, action: "operator.viewed", targetType: "procedure", targetId: path, result: "success" },
      change,
      tx,
    ),
  );
}
