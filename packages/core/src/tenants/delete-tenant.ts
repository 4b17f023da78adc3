import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { findTenantOrThrow } from "./find-tenant.ts";

export const deleteTenantInput = z.object({
  tenant: z.string().min(1, "tenant is required"),
  reason: z.string().trim().max(500).optional(),
});
export type DeleteTenantInput = z.input<typeof deleteTenantInput>;

/**
 * Deletes a tenant (operator action) and crypto-shreds its data: first its
 * data keys are destroyed (key material overwritten, `destroyed_at` set), so
 * any ciphertext of the tenant left anywhere (a backup, a Redis stream, a
 * log) can no longer be opened; then the tenant row goes and everything it
 * owns goes with it. The event is recorded on the platform chain; the
 * tenant's own audit chain is kept. Afterwards the caller invalidates the
 * auth cache for the tenant, so gateways refuse its keys at once.
 */
export async function deleteTenant(rawInput: DeleteTenantInput, ctx: ChangeContext, tx: Tx) {
  const input = deleteTenantInput.parse(rawInput);
  const tenant = await findTenantOrThrow(input.tenant, tx);
  // The keyring creates a tenant's first data key under this lock: none appears behind our back.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`data-key:${tenant.id}`}))`;
  const destroyed = await tx.tenantDataKey.updateMany({
    where: { tenantId: tenant.id, destroyedAt: null },
    data: { wrappedKey: new Uint8Array(0), active: false, destroyedAt: new Date() },
  });
  await appendAuditEvent(
    {
      tenantId: null,
      action: "tenant.delete",
      targetType: "tenant",
      targetId: tenant.id,
      metadata: {
        slug: tenant.slug,
        name: tenant.name,
        dataKeysDestroyed: destroyed.count,
        reason: input.reason ?? null,
      },
    },
    ctx,
    tx,
  );
  await tx.tenant.delete({ where: { id: tenant.id } });
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, dataKeysDestroyed: destroyed.count };
}
