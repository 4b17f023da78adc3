import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { newId } from "../ids.ts";
import { findTenantOrThrow } from "../tenants/find-tenant.ts";

export const grantCreditsInput = z.object({
  tenant: z.string().min(1, "tenant is required"),
  amountMicros: z
    .bigint()
    .positive("the amount must be more than 0")
    .max(1_000_000_000_000_000n, "the amount must be at most $1,000,000,000"),
  kind: z.enum(["credit_grant", "refund"]).default("credit_grant"),
  reason: z.string().trim().min(1, "say why (it is on the tenant's invoice and in the audit log)").max(500),
  createdById: z.string().nullish(),
});
export type GrantCreditsInput = z.input<typeof grantCreditsInput>;

/**
 * An operator's credit grant or refund: a credit entry in the ledger (a
 * negative amount), taken against the tenant's next charges; audited.
 */
export async function grantCredits(rawInput: GrantCreditsInput, ctx: ChangeContext, tx: Tx) {
  const input = grantCreditsInput.parse(rawInput);
  const tenant = await findTenantOrThrow(input.tenant, tx);
  const entry = await tx.ledgerEntry.create({
    data: {
      id: newId("ledgerEntry"),
      tenantId: tenant.id,
      kind: input.kind,
      amountMicros: -input.amountMicros,
      description: input.reason,
      createdById: input.createdById ?? null,
    },
  });
  await appendAuditEvent(
    {
      tenantId: tenant.id,
      action: input.kind === "refund" ? "billing.refund" : "billing.credit.grant",
      targetType: "ledger_entry",
      targetId: entry.id,
      metadata: { amountMicros: input.amountMicros.toString(), reason: input.reason },
    },
    ctx,
    tx,
  );
  return { tenant, entry };
}
