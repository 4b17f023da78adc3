import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { modelZooFolders } from "@aiaas/model-zoo";
import { readModelFolder } from "../read-model-folder.ts";
import { threadOptions } from "../runtime/execution-provider.ts";

/** A shipped model's folder, checked. */
export async function zooModel(id: string) {
  const dir = modelZooFolders()[id];
  if (!dir) throw new Error(`the model zoo has no ${id}`);
  return readModelFolder(dir);
}

/** Tests share the machine's two cores with each other. */
export const testSessionOptions = threadOptions(1);

export const helloWorldPng = () =>
  readFile(fileURLToPath(new URL("../../test-fixtures/hello-world-2025.png", import.meta.url)));
