import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { aliasedName, aliasName, DEFAULT_ALIAS, modelSlug, versionName } from "./model-name.ts";

export const promoteModelVersionInput = z.object({
  slug: modelSlug,
  version: versionName,
  alias: aliasName.default(DEFAULT_ALIAS),
  /** Promote even though some live worker of the model does not serve this version (its requests would fail there). */
  force: z.boolean().default(false),
});
export type PromoteModelVersionInput = z.input<typeof promoteModelVersionInput>;

/** The versions (SHA-256 of their files) each live worker of a model serves. */
export type LiveVersions = (slug: string) => Promise<{ workerId: string; versions: readonly string[] }[]>;

/**
 * Points an alias (the bare id by default) at a version: one row changes,
 * in one transaction, so every request after the gateways' next read goes
 * to the new version and none is left between. Rolling back is promoting
 * the version before. Refused, unless forced, while a live worker of the
 * model does not hold the version: its share of the traffic would fail.
 * Audited on the platform chain with the version before and after.
 */
export async function promoteModelVersion(
  raw: PromoteModelVersionInput,
  live: LiveVersions,
  ctx: ChangeContext,
  tx: Tx,
) {
  const input = promoteModelVersionInput.parse(raw);
  const name = aliasedName(input.slug, input.alias);
  const model = await tx.model.findUnique({
    where: { slug: input.slug },
    select: {
      id: true,
      versions: { where: { version: input.version }, select: { id: true, sha256: true, status: true } },
      aliases: { where: { alias: input.alias }, select: { versionId: true, version: { select: { version: true } } } },
    },
  });
  if (!model) throw notFound(`model "${input.slug}"`);
  const [version] = model.versions;
  if (!version) throw notFound(`version "${input.version}" of ${input.slug} (models show ${input.slug} lists them)`);
  if (version.status !== "active")
    throw new DomainError("conflict", `${input.slug}@${input.version} is retired: restore it before promoting it.`);
  const [before] = model.aliases;
  if (before?.versionId === version.id) return { changed: false, name, from: input.version, to: input.version };
  if (!input.force) {
    const workers = await live(input.slug);
    const lacking = workers.filter((worker) => !worker.versions.includes(version.sha256));
    if (workers.length === 0 || lacking.length > 0) {
      throw new DomainError(
        "conflict",
        workers.length === 0
          ? `No live worker serves ${input.slug}: start one with this version before promoting it (or force it).`
          : `${lacking.map((worker) => worker.workerId).join(", ")} serve ${input.slug} without version ${input.version}: restart them with it first, or their share of ${name}'s requests would fail (or force it).`,
      );
    }
  }
  await tx.modelAlias.upsert({
    where: { modelId_alias: { modelId: model.id, alias: input.alias } },
    create: { modelId: model.id, alias: input.alias, versionId: version.id },
    update: { versionId: version.id, updatedAt: new Date() },
  });
  const from = before?.version.version ?? null;
  await appendAuditEvent(
    {
      tenantId: null,
      action: "model.promote",
      targetType: "model_version",
      targetId: version.id,
      metadata: { model: input.slug, alias: input.alias, from, to: input.version, forced: input.force },
    },
    ctx,
    tx,
  );
  return { changed: true, name, from, to: input.version };
}
