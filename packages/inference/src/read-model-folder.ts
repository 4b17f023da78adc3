import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MANIFEST_FILE, modelManifest, tokenizedTasks, type ModelManifest } from "./model-manifest.ts";
import { resolveModelFile } from "./resolve-model-file.ts";

export class ModelFolderError extends Error {
  override name = "ModelFolderError";
}

/** A checked model folder: its manifest and the absolute paths of its files. */
export interface ModelFolder {
  dir: string;
  manifest: ModelManifest;
  files: { onnx?: string; recognition?: string; dictionary?: string; config?: string; tokenizer?: string };
}

/**
 * Reads and checks a model folder: the manifest must be valid and the files
 * the task needs must exist. Errors name the folder and what is wrong.
 */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
  let raw: string;
  try {
    raw = await readFile(join(dir, MANIFEST_FILE), "utf8");
  } catch {
    throw new ModelFolderError(`${dir}: no ${MANIFEST_FILE} manifest`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ModelFolderError(`${dir}/${MANIFEST_FILE}: not JSON (${(error as Error).message})`);
  }
  const parsed = modelManifest.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "manifest"}: ${issue.message}`);
    throw new ModelFolderError(`${dir}/${MANIFEST_FILE}: ${problems.join("; ")}`);
  }
  const manifest = parsed.data;
  const references: Record<string, string | undefined> = {
    // The echo model runs no graph.
    onnx: manifest.task === "echo" ? undefined : manifest.onnx,
    recognition: manifest.recognition,
    dictionary: manifest.dictionary,
    ...(tokenizedTasks.includes(manifest.task) ? { config: "config.json", tokenizer: "tokenizer.json" } : {}),
  };
  const files: Record<string, string> = {};
  for (const [name, reference] of Object.entries(references)) {
    if (reference === undefined) continue;
    const path = resolveModelFile(dir, reference);
    if (!path) throw new ModelFolderError(`${dir}: missing ${reference}`);
    files[name] = path;
  }
  return { dir, manifest, files };
}
