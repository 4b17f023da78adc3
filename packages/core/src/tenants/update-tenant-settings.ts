import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { notFound } from "../errors.ts";
import { mailableName } from "../text/mailable-name.ts";

export const tenantSettingsInput = z.object({
  name: mailableName("Give the organisation a name.").optional(),
  /** How long prompts and completions are kept, encrypted: not at all, 7 or 30 days. */
  retention: z.enum(["none", "days_7", "days_30"]).optional(),
  /** Members must sign in with two factors to use the organisation. */
  requireMfa: z.boolean().optional(),
});

/** Renames a tenant or changes its prompt retention; the audit event records before and after. */
export async function updateTenantSettings(
  input: { tenantId: string } & z.input<typeof tenantSettingsInput>,
  ctx: ChangeContext,
  tx: Tx,
) {
  const changes = tenantSettingsInput.parse(input);
  const before = await tx.tenant.findUnique({
    where: { id: input.tenantId },
    select: { name: true, retention: true, requireMfa: true },
  });
  if (!before) throw notFound("tenant");
  const updated = await tx.tenant.update({ where: { id: input.tenantId }, data: changes });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "tenant.update",
      targetType: "tenant",
      targetId: input.tenantId,
      metadata: {
        before,
        after: { name: updated.name, retention: updated.retention, requireMfa: updated.requireMfa },
      },
    },
    ctx,
    tx,
  );
  return updated;
}
