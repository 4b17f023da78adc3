import { fileDigests, readModelFolder } from "@aiaas/inference/model-store";
import { registerModel, type RegisteredModel } from "@aiaas/core/models";
import { modelZooFolders } from "@aiaas/model-zoo";
import type { CliContext } from "../context.ts";
import { registrationOf } from "./model-registration.ts";

/**
 * Records the shipped models' folders as versions of their catalogue
 * entries (the seed made the entries): the first becomes current, the same
 * files again change nothing, new files of a later release are a new
 * version an operator promotes.
 */
export async function registerZooVersions(ctx: CliContext): Promise<RegisteredModel[]> {
  const registered: RegisteredModel[] = [];
  for (const dir of Object.values(modelZooFolders())) {
    const { manifest } = await readModelFolder(dir);
    const files = await fileDigests(dir);
    registered.push(
      await ctx.db.$transaction((tx) =>
        registerModel(
          registrationOf(manifest, files, {
            source: "zoo:@aiaas/model-zoo",
            ownedBy: "aiaas",
            price: { inputMicrosPer1k: 0n, outputMicrosPer1k: 0n, imageMicros: 0n },
          }),
          ctx.change,
          tx,
        ),
      ),
    );
  }
  return registered;
}
