import type { Redis } from "ioredis";
import type { DbOrTx } from "@aiaas/db";
import { listLiveWorkers } from "../queue/worker-registry.ts";

/**
 * The catalogue as an operator reads it: each model with its versions
 * (current first, then newest), their file digests and sources, and the
 * live workers serving it (the workers' registry in Redis, as `workers
 * list` reads it).
 */
export async function listRegisteredModels(db: DbOrTx, redis: Redis, prefix: string, slug?: string) {
  const [models, workers] = await Promise.all([
    db.model.findMany({
      where: slug ? { slug } : {},
      orderBy: { slug: "asc" },
      include: { versions: { orderBy: [{ isCurrent: "desc" }, { createdAt: "desc" }] } },
    }),
    listLiveWorkers(redis, prefix),
  ]);
  return models.map((model) => ({
    slug: model.slug,
    task: model.task,
    status: model.status,
    ownedBy: model.ownedBy,
    contextLength: model.contextLength,
    current: model.versions.find((version) => version.isCurrent)?.version ?? null,
    versions: model.versions.map((version) => ({
      version: version.version,
      current: version.isCurrent,
      sha256: version.sha256,
      source: version.source,
      createdAt: version.createdAt,
      files: filesOf(version.manifest),
    })),
    workers: workers.filter((worker) => worker.models.includes(model.slug)).map((worker) => worker.id),
  }));
}

function filesOf(manifest: unknown): { path: string; sha256: string; size: number }[] {
  const files = (manifest as { files?: unknown } | null)?.files;
  return Array.isArray(files) ? (files as { path: string; sha256: string; size: number }[]) : [];
}
