import { versionFiles, type FileDigest, type ModelManifest } from "@aiaas/inference/model-store";
import {
  DEFAULT_ALIAS,
  folderDigest,
  registerModel,
  type ModelRegistration,
  type RegisteredModel,
} from "@aiaas/core/models";
import type { Db } from "@aiaas/db";
import type { ChangeContext } from "@aiaas/core/platform";

/** Where registrations go: the catalogue, as whoever registers (audited as them). */
export interface RegistryTarget {
  db: Db;
  change: ChangeContext;
}

const micros = (price: { inputMicrosPer1k: number; outputMicrosPer1k: number; imageMicros: number }) => ({
  inputMicrosPer1k: BigInt(price.inputMicrosPer1k),
  outputMicrosPer1k: BigInt(price.outputMicrosPer1k),
  imageMicros: BigInt(price.imageMicros),
});

/** What the catalogue records of a checked model folder: its manifest, its files' digests, and where it came from. */
export function registrationOf(
  manifest: ModelManifest,
  files: FileDigest[],
  from: Pick<ModelRegistration, "source" | "ownedBy" | "version" | "price" | "followSource">,
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

/**
 * Registers every version a checked folder holds: its main graph (answering
 * the bare id where nothing does yet) and each variant in its manifest
 * (`int8`: the version `int8-<digest>`, answering `id:int8`, at the
 * variant's own price). Each version's digest leaves the other graphs out,
 * as workers reckon it. The main graph's result comes first.
 */
export async function registerFolderVersions(
  ctx: RegistryTarget,
  manifest: ModelManifest,
  files: FileDigest[],
  from: Pick<ModelRegistration, "source" | "ownedBy" | "version" | "price" | "followSource">,
): Promise<RegisteredModel[]> {
  const registered: RegisteredModel[] = [];
  for (const variant of [undefined, ...Object.keys(manifest.variants)]) {
    const own = versionFiles(files, manifest, variant);
    const graph = variant === undefined ? undefined : manifest.variants[variant];
    const registration = registrationOf({ ...manifest, onnx: graph?.onnx ?? manifest.onnx }, own, {
      ...from,
      ...(variant !== undefined && { version: `${variant}-${folderDigest(own).slice(0, 12)}` }),
    });
    registered.push(
      await ctx.db.$transaction((tx) =>
        registerModel(
          {
            ...registration,
            manifest: { ...registration.manifest, variant },
            aliases: [variant ?? DEFAULT_ALIAS],
            versionPrice: graph?.price && micros(graph.price),
          },
          ctx.change,
          tx,
        ),
      ),
    );
  }
  return registered;
}
