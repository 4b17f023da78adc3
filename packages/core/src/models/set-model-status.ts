import type { ModelStatus, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { notFound } from "../errors.ts";

/**
 * Retires a model (`disabled`: gateways stop listing and serving it within
 * their directory's refresh, its history stays) or brings it back
 * (`active`). Audited on the platform chain.
 */
export async function setModelStatus(input: { slug: string; status: ModelStatus }, ctx: ChangeContext, tx: Tx) {
  const model = await tx.model.findUnique({ where: { slug: input.slug }, select: { id: true, status: true } });
  if (!model) throw notFound(`model "${input.slug}"`);
  if (model.status === input.status) return { changed: false };
  await tx.model.update({ where: { id: model.id }, data: { status: input.status } });
  await appendAuditEvent(
    {
      tenantId: null,
      action: input.status === "disabled" ? "model.retire" : "model.restore",
      targetType: "model",
      targetId: model.id,
      metadata: { model: input.slug, from: model.status, to: input.status },
    },
    ctx,
    tx,
  );
  return { changed: true };
}
