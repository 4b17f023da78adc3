import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { findTenantOrThrow } from "./find-tenant.ts";

export const setTenantStatusInput = z.object({
  tenant: z.string().min(1, "tenant is required"),
  status: z.enum(["active", "suspended"]),
  reason: z.string().trim().max(500).optional(),
});
export type SetTenantStatusInput = z.input<typeof setTenantStatusInput>;

/** Suspends (the gateway then refuses the tenant's keys) or resumes a tenant. */
export async function setTenantStatus(rawInput: SetTenantStatusInput, ctx: ChangeContext, tx: Tx) {
  const input = setTenantStatusInput.parse(rawInput);
  const tenant = await findTenantOrThrow(input.tenant, tx);
  if (tenant.status === input.status) {
    throw new DomainError("conflict", `tenant "${tenant.slug}" is already ${input.status}`);
  }
  const suspending = input.status === "suspended";
  const updated = await tx.tenant.update({
    where: { id: tenant.id },
    data: {
      status: input.status,
      suspendedAt: suspending ? new Date() : null,
      suspendedReason: suspending ? (input.reason ?? null) : null,
    },
  });
  await appendAuditEvent(
    {
      tenantId: tenant.id,
      action: suspending ? "tenant.suspend" : "tenant.resume",
      targetType: "tenant",
      targetId: tenant.id,
      metadata: { reason: input.reason ?? null },
    },
    ctx,
    tx,
  );
  return updated;
}
