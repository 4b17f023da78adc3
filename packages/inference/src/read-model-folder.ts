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
  /** The manifest, its `onnx` the variant's graph when one was asked for. */
  manifest: ModelManifest;
  variant?: string;
  files: { onnx?: string; recognition?: string; dictionary?: string; config?: string; tokenizer?: string };
}

/** One model to serve: a folder, one of its variants (else its main graph), and the name an engine knows it by. */
export interface ModelUnit {
  dir: string;
  variant?: string;
  /** Default: the manifest's id. */
  key?: string;
}
export type ModelSource = string | ModelUnit;
export const modelUnit = (source: ModelSource): ModelUnit => (typeof source === "string" ? { dir: source } : source);

/**
 * Reads and checks a model folder: the manifest must be valid and the files
 * the task needs must exist; with a variant, its graph replaces the main
 * one. Errors name the folder and what is wrong.
 */
export async function readModelFolder(dir: string, variant?: string): Promise<ModelFolder> {
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
  const manifest = { ...parsed.data };
  if (variant !== undefined) {
    const graph = manifest.variants[variant];
    if (!graph)
      throw new ModelFolderError(
        `${dir}: no variant "${variant}" (it has: ${Object.keys(manifest.variants).join(", ") || "none"})`,
      );
    manifest.onnx = graph.onnx;
  }
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
  return { dir, manifest, variant, files };
}
