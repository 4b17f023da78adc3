import { fileDigests, readModelFolder } from "@aiaas/inference/model-store";
import type { RegisteredModel } from "@aiaas/core/models";
import { modelZooFolders } from "@aiaas/model-zoo";
import { registerFolderVersions, type RegistryTarget } from "./register-folder-versions.ts";

/**
 * Records the shipped models' folders as versions of their catalogue
 * entries (the seed made the entries, with their prices): each folder's
 * main graph answers the bare id, each variant (`int8`) its alias
 * (`kjv-gpt-mini:int8`). The same files again change nothing; the files of
 * a later release are new versions, and the aliases follow them unless an
 * operator has pointed them elsewhere.
 */
export async function registerZooVersions(ctx: RegistryTarget): Promise<RegisteredModel[]> {
  const registered: RegisteredModel[] = [];
  for (const dir of Object.values(modelZooFolders())) {
    const { manifest } = await readModelFolder(dir);
    const files = manifest.task === "echo" ? [] : await fileDigests(dir);
    registered.push(
      ...(await registerFolderVersions(ctx, manifest, files, {
        source: "zoo:@aiaas/model-zoo",
        ownedBy: "aiaas",
        price: { inputMicrosPer1k: 0n, outputMicrosPer1k: 0n, imageMicros: 0n },
        followSource: true,
      })),
    );
  }
  return registered;
}
