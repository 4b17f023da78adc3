import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { MANIFEST_FILE, type ModelTask } from "../model-manifest.ts";
import { readModelFolder } from "../read-model-folder.ts";
import { regularFiles } from "./file-digests.ts";
import { writeManifest } from "./folder-manifest.ts";
import { localModelId, refuseOversize } from "./pull-model.ts";

export interface CopyModelOptions {
  /** The model store; the folder becomes `<store>/<id>`. */
  store: string;
  /** Another folder to write into (a staging folder, moved into the store once registered). */
  into?: string;
  id?: string;
  task?: ModelTask;
  maxBytes?: number;
}

/**
 * Brings a model folder on this machine into the store (a Hugging Face
 * folder with an ONNX export, or one of ours with its manifest): regular
 * files only, under the size cap; our manifest is written when the folder
 * has none, and names the id it gets here.
 */
export async function copyModelFolder(source: string, options: CopyModelOptions) {
  const from = resolve(source);
  const files = await regularFiles(from);
  refuseOversize(files, options.maxBytes, from);
  const own = files.some((file) => file.path === MANIFEST_FILE)
    ? (JSON.parse(await readFile(join(from, MANIFEST_FILE), "utf8")) as Record<string, unknown>)
    : undefined;
  const id = options.id ?? (typeof own?.id === "string" ? own.id : localModelId(basename(from)));
  const dir = resolve(options.into ?? join(options.store, id));
  if (dir !== from) {
    for (const file of files) {
      await mkdir(dirname(join(dir, file.path)), { recursive: true });
      await copyFile(join(from, file.path), join(dir, file.path));
    }
  }
  if (own) {
    await writeFile(
      join(dir, MANIFEST_FILE),
      `${JSON.stringify({ ...own, id, ...(options.task && { task: options.task }) }, null, 2)}\n`,
    );
  } else {
    await writeManifest(dir, {
      id,
      displayName: basename(from),
      description: `Copied from ${from}.`,
      license: "see the model's own files",
      task: options.task,
    });
  }
  return { id, dir, folder: await readModelFolder(dir), files };
}
