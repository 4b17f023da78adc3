import { resolve } from "node:path";
import { folderDigest } from "@aiaas/core/models";
import { fileDigests, readModelFolder, versionFiles } from "@aiaas/inference/model-store";
import { modelFoldersIn, modelZooFolders } from "@aiaas/model-zoo";

/** A store folder's model: `<id>` (one version) or `<id>@<version>` (versions side by side, as pulls leave them). */
const modelOf = (folder: string) => folder.split("@")[0] ?? folder;

/**
 * The folders of the models this worker serves, all or the ones named: the
 * model zoo's, then the store's (every version pulled, `<id>@<version>`),
 * each of a model's folders a version of it.
 */
export function servedModelFolders(models: "all" | string[], store: string): string[] {
  const byModel = new Map<string, string[]>();
  const folders = [...Object.entries(modelZooFolders()), ...Object.entries(modelFoldersIn(store))];
  for (const [folder, dir] of folders) byModel.set(modelOf(folder), [...(byModel.get(modelOf(folder)) ?? []), dir]);
  if (models === "all") return [...byModel.values()].flat();
  const unknown = models.filter((id) => !byModel.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `WORKER_MODELS names ${unknown.join(", ")}, which is in neither the model zoo nor MODEL_STORE (${resolve(store)}); available: ${[...byModel.keys()].sort().join(", ")}`,
    );
  }
  return models.flatMap((id) => byModel.get(id) ?? []);
}

/** One version a worker serves: a folder, or a variant of it, known by the digest of its files. */
export interface ServedVersion {
  /** The model's id (its queue). */
  model: string;
  /** The engine's name for it. */
  key: string;
  dir: string;
  variant?: string;
  /** SHA-256 over its files, as the catalogue records the version (jobs name it). */
  sha256: string;
}

/**
 * Every version in the folders: each folder's main graph and each of its
 * variants, with the digest the catalogue knows it by (`folderDigest` of
 * `versionFiles`, as `models pull` and the seed register it). The first of a
 * model is the one a job naming no version runs on.
 */
export async function servedVersions(dirs: readonly string[]): Promise<ServedVersion[]> {
  const versions: ServedVersion[] = [];
  for (const dir of dirs) {
    const { manifest } = await readModelFolder(dir);
    const files = manifest.task === "echo" ? [] : await fileDigests(dir);
    for (const variant of [undefined, ...Object.keys(manifest.variants)]) {
      const sha256 = folderDigest(versionFiles(files, manifest, variant));
      // The same files in two folders (a store copy of a shipped model) are one version.
      if (versions.some((held) => held.model === manifest.id && held.sha256 === sha256)) continue;
      versions.push({ model: manifest.id, key: `${manifest.id}@${sha256.slice(0, 12)}`, dir, variant, sha256 });
    }
  }
  return versions;
}

/** Which engine model answers a job: the version it names, else its model's first. */
export function versionRouter(versions: readonly ServedVersion[]) {
  const byDigest = new Map(versions.map((version) => [`${version.model}@${version.sha256}`, version.key]));
  const first = new Map<string, string>();
  for (const version of versions) if (!first.has(version.model)) first.set(version.model, version.key);
  return {
    keyOf: (model: string, sha256?: string) => (sha256 ? byDigest.get(`${model}@${sha256}`) : first.get(model)),
    /** Per model, the digests of the versions held: what the heartbeat reports. */
    digests: () => {
      const held: Record<string, string[]> = {};
      for (const version of versions) (held[version.model] ??= []).push(version.sha256);
      return held;
    },
  };
}
