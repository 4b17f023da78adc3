import type { Redis } from "ioredis";
import type { DbOrTx } from "@aiaas/db";
import { listLiveWorkers } from "../queue/worker-registry.ts";
import { aliasedName } from "./model-name.ts";
import type { LiveVersions } from "./promote-model-version.ts";

/** What each live worker of a model holds, from the workers' registry in Redis (as `workers list` reads it). */
export const liveVersions =
  (redis: Redis, prefix: string): LiveVersions =>
  async (slug) =>
    (await listLiveWorkers(redis, prefix))
      .filter((worker) => worker.models.includes(slug))
      .map((worker) => ({ workerId: worker.id, versions: worker.versions[slug] ?? [] }));

/**
 * The catalogue as an operator reads it: each model with its aliases and
 * versions (newest first), their file digests, sources and prices, and the
 * live workers serving it and each version.
 */
export async function listRegisteredModels(db: DbOrTx, redis: Redis, prefix: string, slug?: string) {
  const [models, workers] = await Promise.all([
    db.model.findMany({
      where: slug ? { slug } : {},
      orderBy: { slug: "asc" },
      include: {
        versions: {
          orderBy: { createdAt: "desc" },
          include: { prices: { orderBy: { effectiveFrom: "desc" }, take: 1 } },
        },
        aliases: { orderBy: { alias: "asc" } },
      },
    }),
    listLiveWorkers(redis, prefix),
  ]);
  return models.map((model) => {
    const serving = workers.filter((worker) => worker.models.includes(model.slug));
    const versionOf = new Map(model.versions.map((version) => [version.id, version.version]));
    return {
      slug: model.slug,
      task: model.task,
      status: model.status,
      ownedBy: model.ownedBy,
      contextLength: model.contextLength,
      /** Public name → version, the bare id first. */
      aliases: model.aliases
        .map((alias) => ({ name: aliasedName(model.slug, alias.alias), version: versionOf.get(alias.versionId) ?? "" }))
        .sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name)),
      versions: model.versions.map((version) => ({
        version: version.version,
        status: version.status,
        aliases: model.aliases
          .filter((alias) => alias.versionId === version.id)
          .map((alias) => aliasedName(model.slug, alias.alias)),
        sha256: version.sha256,
        source: version.source,
        createdAt: version.createdAt,
        /** Its own price in force, if it has one; else the model's applies. */
        price: version.prices[0] ?? null,
        files: filesOf(version.manifest),
        workers: serving
          .filter((worker) => worker.versions[model.slug]?.includes(version.sha256))
          .map((worker) => worker.id),
      })),
      workers: serving.map((worker) => worker.id),
    };
  });
}

function filesOf(manifest: unknown): { path: string; sha256: string; size: number }[] {
  const files = (manifest as { files?: unknown } | null)?.files;
  return Array.isArray(files) ? (files as { path: string; sha256: string; size: number }[]) : [];
}
