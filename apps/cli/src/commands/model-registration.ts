import type { FileDigest, ModelManifest } from "@aiaas/inference/model-store";
import type { ModelRegistration } from "@aiaas/core/models";

/** What the catalogue records of a checked model folder: its manifest, its files' digests, and where it came from. */
export function registrationOf(
  manifest: ModelManifest,
  files: FileDigest[],
  from: Pick<ModelRegistration, "source" | "ownedBy" | "version" | "price">,
): ModelRegistration {
  return {
    slug: manifest.id,
    task: manifest.task,
    displayName: manifest.displayName ?? manifest.id,
    description: manifest.description,
    contextLength: manifest.contextLength ?? null,
    files,
    manifest: manifest,
    ...from,
  };
}
