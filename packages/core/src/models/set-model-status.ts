import type { ModelStatus, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { aliasedName } from "./model-name.ts";

/**
 * Retires a model (`disabled`: gateways stop listing and serving it within
 * their directory's refresh, its history stays) or brings it back
 * (`active`); with a version, that version alone (`id@version` stops being
 * served; one an alias points at must be replaced first). Audited on the
 * platform chain.
 */
export async function setModelStatus(
  input: { slug: string; version?: string; status: ModelStatus },
  ctx: ChangeContext,
  tx: Tx,
) {
  const model = await tx.model.findUnique({ where: { slug: input.slug }, select: { id: true, status: true } });
  if (!model) throw notFound(`model "${input.slug}"`);
  const action = input.status === "disabled" ? "model.retire" : "model.restore";
  if (input.version === undefined) {
    if (model.status === input.status) return { changed: false };
    await tx.model.update({ where: { id: model.id }, data: { status: input.status } });
    await appendAuditEvent(
      {
        tenantId: null,
        action,
        targetType: "model",
        targetId: model.id,
        metadata: { model: input.slug, from: model.status, to: input.status },
      },
      ctx,
      tx,
    );
    return { changed: true };
  }
  const version = await tx.modelVersion.findUnique({
    where: { modelId_version: { modelId: model.id, version: input.version } },
    select: { id: true, status: true, aliases: { select: { alias: true } } },
  });
  if (!version) throw notFound(`version "${input.version}" of ${input.slug}`);
  if (version.status === input.status) return { changed: false };
  if (input.status === "disabled" && version.aliases.length > 0) {
    const names = version.aliases.map(({ alias }) => aliasedName(input.slug, alias)).join(", ");
    throw new DomainError(
      "conflict",
      `${names} ${version.aliases.length === 1 ? "points" : "point"} at ${input.slug}@${input.version}: promote another version first.`,
    );
  }
  await tx.modelVersion.update({ where: { id: version.id }, data: { status: input.status } });
  await appendAuditEvent(
    {
      tenantId: null,
      action,
      targetType: "model_version",
      targetId: version.id,
      metadata: { model: input.slug, version: input.version, from: version.status, to: input.status },
    },
    ctx,
    tx,
  );
  return { changed: true };
}
