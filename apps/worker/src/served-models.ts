import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { modelZooFolders } from "@aiaas/model-zoo";

/** Model folders in the store (one per model id, as `models pull` writes them). */
function storeFolders(store: string): Record<string, string> {
  const dir = resolve(store);
  if (!existsSync(dir)) return {};
  const entries = readdirSync(dir, { withFileTypes: true }).filter(
    (entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "aiaas.json")),
  );
  return Object.fromEntries(entries.map((entry) => [entry.name, join(dir, entry.name)]));
}

/**
 * The folders of the models this worker serves: the model zoo's and the
 * store's (the store wins for the same id), all or the ones named.
 */
export function servedModelFolders(models: "all" | string[], store: string): string[] {
  const available = { ...modelZooFolders(), ...storeFolders(store) };
  if (models === "all") return Object.values(available);
  const unknown = models.filter((id) => !available[id]);
  if (unknown.length > 0) {
    throw new Error(
      `WORKER_MODELS names ${unknown.join(", ")}, which is in neither the model zoo nor MODEL_STORE (${resolve(store)}); available: ${Object.keys(available).sort().join(", ")}`,
    );
  }
  return models.map((id) => available[id] ?? "");
}
