import { z } from "zod";
import type { DbOrTx, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { findTenantOrThrow } from "../tenants/find-tenant.ts";

export const setModelAccessInput = z.object({
  tenant: z.string().min(1, "tenant is required"),
  model: z.string().trim().min(1, "model is required"),
  enabled: z.boolean(),
});
export type SetModelAccessInput = z.input<typeof setModelAccessInput>;

/**
 * Grants a tenant a restricted model (the echo model, say) or takes it away.
 * Gateways see the change within their directory's cache (10 s). Saying
 * again what is already so changes nothing and audits nothing.
 */
export async function setModelAccess(rawInput: SetModelAccessInput, ctx: ChangeContext, tx: Tx) {
  const input = setModelAccessInput.parse(rawInput);
  const tenant = await findTenantOrThrow(input.tenant, tx);
  const model = await tx.model.findUnique({ where: { slug: input.model } });
  if (!model) throw notFound(`model "${input.model}"`);
  if (!model.restricted) {
    throw new DomainError(
      "conflict",
      `model "${model.slug}" is open to every tenant; only restricted models are granted one by one`,
    );
  }
  const where = { tenantId_modelId: { tenantId: tenant.id, modelId: model.id } };
  const before = await tx.tenantModel.findUnique({ where });
  const changed = (before?.enabled ?? false) !== input.enabled;
  if (changed) {
    await tx.tenantModel.upsert({
      where,
      create: { tenantId: tenant.id, modelId: model.id, enabled: input.enabled },
      update: { enabled: input.enabled },
    });
    await appendAuditEvent(
      {
        tenantId: tenant.id,
        action: input.enabled ? "model.access.grant" : "model.access.revoke",
        targetType: "model",
        targetId: model.id,
        metadata: { model: model.slug },
      },
      ctx,
      tx,
    );
  }
  return { tenant: tenant.slug, model: model.slug, enabled: input.enabled, changed };
}

/** The restricted models, each with whether this tenant may use it. */
export async function listModelAccess(tenantId: string, db: DbOrTx) {
  const models = await db.model.findMany({
    where: { restricted: true, status: "active" },
    orderBy: { slug: "asc" },
    select: {
      slug: true,
      displayName: true,
      task: true,
      tenantAccess: { where: { tenantId, enabled: true }, select: { tenantId: true } },
    },
  });
  return models.map(({ tenantAccess, ...model }) => ({ ...model, enabled: tenantAccess.length > 0 }));
}
