import { createHash } from "node:crypto";
import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";

const micros = z.bigint().nonnegative("a price cannot be negative").max(1_000_000_000_000n);

/** A model folder a worker can serve, as `models pull` checked it: what the catalogue records of it. */
export const modelRegistrationInput = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "model ids are lowercase letters, digits, dots and hyphens"),
  task: z.enum(["chat", "completion", "embedding", "ocr", "echo"]),
  displayName: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(""),
  ownedBy: z.string().trim().min(1).max(100),
  contextLength: z.number().int().positive().nullable(),
  /** A name for this version, e.g. the hub revision or "int8", unique per model; by default `sha-` and its digest's first 12. */
  version: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "versions are letters, digits, dots, hyphens")
    .optional(),
  /** Where it came from: hub URL and revision, or a local folder. */
  source: z.string().min(1).max(1000),
  /** Every file of the folder with its SHA-256: the version's identity (none for the echo model, which runs no graph). */
  files: z
    .array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number() }))
    .max(10_000),
  manifest: z.record(z.string(), z.unknown()),
  /** The price of a model new to the catalogue (micro-units); later changes go through `prices set`. */
  price: z.object({ inputMicrosPer1k: micros, outputMicrosPer1k: micros, imageMicros: micros }),
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
  current: boolean;
}

/**
 * Records a checked model folder in the catalogue: the model (new ones
 * active, with their price), and the version with its files' digests. A
 * model's first version becomes its current one; later ones wait to be
 * promoted. Registering the same files under the same version again changes
 * nothing; other files under a version already taken are refused. Audited
 * on the platform chain. Gateways see a new model within their directory's
 * refresh (seconds), without a restart.
 */
export async function registerModel(raw: ModelRegistration, ctx: ChangeContext, tx: Tx): Promise<RegisteredModel> {
  const input = modelRegistrationInput.parse(raw);
  const sha256 = folderDigest(input.files);
  const versionName = input.version ?? `sha-${sha256.slice(0, 12)}`;
  const existing = await tx.model.findUnique({
    where: { slug: input.slug },
    select: { id: true, task: true, versions: { select: { id: true, version: true, sha256: true, isCurrent: true } } },
  });
  if (existing && existing.task !== input.task) {
    throw new DomainError(
      "conflict",
      `${input.slug} is registered for ${existing.task}; this folder's task is ${input.task}: give it another id (--id).`,
    );
  }
  const taken = existing?.versions.find((version) => version.version === versionName);
  if (taken && existing) {
    if (taken.sha256 === sha256) {
      return {
        modelId: existing.id,
        slug: input.slug,
        versionId: taken.id,
        version: taken.version,
        sha256,
        outcome: "unchanged",
        current: taken.isCurrent,
      };
    }
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
  const current = !existing || existing.versions.length === 0;
  const version = await tx.modelVersion.create({
    data: {
      id: newId("modelVersion"),
      modelId,
      version: versionName,
      source: input.source,
      sha256,
      manifest: { ...input.manifest, files: input.files },
      isCurrent: current,
    },
  });
  const outcome = existing ? "new-version" : "new-model";
  await appendAuditEvent(
    {
      tenantId: null,
      action: "model.register",
      targetType: "model_version",
      targetId: version.id,
      metadata: { model: input.slug, version: versionName, sha256, source: input.source, outcome, current },
    },
    ctx,
    tx,
  );
  return { modelId, slug: input.slug, versionId: version.id, version: versionName, sha256, outcome, current };
}
