import { resolve } from "node:path";
import { modelFoldersIn, modelZooFolders } from "@aiaas/model-zoo";

/**
 * The folders of the models this worker serves: the model zoo's and the
 * store's (the store wins for the same id), all or the ones named.
 */
export function servedModelFolders(models: "all" | string[], store: string): string[] {
  const available = { ...modelZooFolders(), ...modelFoldersIn(store) };
  if (models === "all") return Object.values(available);
  const unknown = models.filter((id) => !available[id]);
  if (unknown.length > 0) {
    throw new Error(
      `WORKER_MODELS names ${unknown.join(", ")}, which is in neither the model zoo nor MODEL_STORE (${resolve(store)}); available: ${Object.keys(available).sort().join(", ")}`,
    );
  }
  return models.map((id) => available[id] ?? "");
}
