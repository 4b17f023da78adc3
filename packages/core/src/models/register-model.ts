import { createHash } from "node:crypto";
import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { aliasName, DEFAULT_ALIAS, modelSlug, versionName } from "./model-name.ts";

const micros = z.bigint().nonnegative("a price cannot be negative").max(1_000_000_000_000n);

/** A model folder a worker can serve, as `models pull` checked it: what the catalogue records of it. */
export const modelRegistrationInput = z.object({
  slug: modelSlug,
  task: z.enum(["chat", "completion", "embedding", "ocr", "echo"]),
  displayName: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(""),
  ownedBy: z.string().trim().min(1).max(100),
  contextLength: z.number().int().positive().nullable(),
  /** A name for this version, e.g. the hub revision or "int8", unique per model; by default `sha-` and its digest's first 12. */
  version: versionName.optional(),
  /** Where it came from: hub URL and revision, or a local folder. */
  source: z.string().min(1).max(1000),
  /** Every file of the folder with its SHA-256: the version's identity (none for the echo model, which runs no graph). */
  files: z
    .array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number() }))
    .max(10_000),
  manifest: z.record(z.string(), z.unknown()),
  /** The price of a model new to the catalogue (micro-units); later changes go through `prices set`. */
  price: z.object({ inputMicrosPer1k: micros, outputMicrosPer1k: micros, imageMicros: micros }),
  /** A price of this version alone (a cheaper variant), set when the version is new; else the model's applies. */
  versionPrice: z.object({ inputMicrosPer1k: micros, outputMicrosPer1k: micros, imageMicros: micros }).optional(),
  /** The aliases this version takes where they point nowhere yet (a model's first version: `default`). */
  aliases: z.array(aliasName).max(16).default([DEFAULT_ALIAS]),
  /**
   * Also move those aliases from a version of the same source to this one:
   * the shipped models follow the release that ships them, unless an
   * operator has promoted something else.
   */
  followSource: z.boolean().default(false),
});
export type ModelRegistration = z.input<typeof modelRegistrationInput>;

/** One digest over a folder's files (`sha256sum`'s lines, sorted by path): equal folders, equal digests. */
export function folderDigest(files: readonly { path: string; sha256: string }[]): string {
  const lines = [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((file) => `${file.sha256}  ${file.path}\n`);
  return createHash("sha256").update(lines.join("")).digest("hex");
}

export interface RegisteredModel {
  modelId: string;
  slug: string;
  versionId: string;
  version: string;
  sha256: string;
  /** What changed: a new model, a new version of a known one, or nothing (the same files again). */
  outcome: "new-model" | "new-version" | "unchanged";
  /** The aliases that point at this version now (`default`: it answers the bare id). */
  aliases: string[];
}

/**
 * Records a checked model folder in the catalogue: the model (new ones
 * active, with their price), and the version with its files' digests. The
 * version takes the aliases it asks for where they point nowhere yet (a
 * model's first version answers its bare id); later ones wait to be promoted.
 * Registering the same files under the same version again changes nothing;
 * other files under a version already taken are refused. Audited
 * on the platform chain. Gateways see a new model within their directory's
 * refresh (seconds), without a restart.
 */
export async function registerModel(raw: ModelRegistration, ctx: ChangeContext, tx: Tx): Promise<RegisteredModel> {
  const input = modelRegistrationInput.parse(raw);
  const sha256 = folderDigest(input.files);
  const versionName = input.version ?? `sha-${sha256.slice(0, 12)}`;
  const existing = await tx.model.findUnique({
    where: { slug: input.slug },
    select: {
      id: true,
      task: true,
      versions: { select: { id: true, version: true, sha256: true } },
      aliases: { select: { alias: true, versionId: true, version: { select: { source: true } } } },
    },
  });
  if (existing && existing.task !== input.task) {
    throw new DomainError(
      "conflict",
      `${input.slug} is registered for ${existing.task}; this folder's task is ${input.task}: give it another id (--id).`,
    );
  }
  const taken = existing?.versions.find((version) => version.version === versionName);
  if (taken && taken.sha256 !== sha256) {
    throw new DomainError(
      "conflict",
      `${input.slug} already has a version "${versionName}" with other files: name this one (--version).`,
    );
  }
  const modelId =
    existing?.id ??
    (
      await tx.model.create({
        data: {
          id: newId("model"),
          slug: input.slug,
          displayName: input.displayName,
          description: input.description,
          task: input.task,
          ownedBy: input.ownedBy,
          contextLength: input.contextLength,
          prices: { create: { id: newId("modelPrice"), ...input.price, effectiveFrom: new Date(0) } },
        },
        select: { id: true },
      })
    ).id;
  const versionId =
    taken?.id ??
    (
      await tx.modelVersion.create({
        data: {
          id: newId("modelVersion"),
          modelId,
          version: versionName,
          source: input.source,
          sha256,
          manifest: { ...input.manifest, files: input.files },
          ...(input.versionPrice && {
            prices: {
              create: { id: newId("modelPrice"), modelId, ...input.versionPrice, effectiveFrom: new Date(0) },
            },
          }),
        },
        select: { id: true },
      })
    ).id;
  const pointing = new Map(existing?.aliases.map((alias) => [alias.alias, alias]));
  const moved = input.aliases.filter((alias) => {
    const now = pointing.get(alias);
    return !now || (input.followSource && now.versionId !== versionId && now.version.source === input.source);
  });
  for (const alias of moved) {
    await tx.modelAlias.upsert({
      where: { modelId_alias: { modelId, alias } },
      create: { modelId, alias, versionId },
      update: { versionId, updatedAt: new Date() },
    });
  }
  const aliases = [
    ...new Set([
      ...moved,
      ...[...pointing.values()].filter((alias) => alias.versionId === versionId).map((alias) => alias.alias),
    ]),
  ].sort();
  const outcome = existing ? (taken ? "unchanged" : "new-version") : "new-model";
  if (outcome !== "unchanged" || moved.length > 0) {
    await appendAuditEvent(
      {
        tenantId: null,
        action: "model.register",
        targetType: "model_version",
        targetId: versionId,
        metadata: { model: input.slug, version: versionName, sha256, source: input.source, outcome, aliases: moved },
      },
      ctx,
      tx,
    );
  }
  return { modelId, slug: input.slug, versionId, version: versionName, sha256, outcome, aliases };
}
