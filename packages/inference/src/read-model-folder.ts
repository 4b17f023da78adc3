import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { MANIFEST_FILE, modelManifest, type ModelManifest } from "./model-manifest.ts";

export class ModelFolderError extends Error {
  override name = "ModelFolderError";
}

/**
 * Reads and checks a model folder: the manifest must be valid and the files
 * the task needs must exist. Errors name the folder and what is wrong.
 */
export async function readModelFolder(dir: string): Promise<ModelManifest> {
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
  const needed = [
    parsed.data.onnx,
    ...(["chat", "completion", "embedding"].includes(parsed.data.task) ? ["config.json", "tokenizer.json"] : []),
  ];
  for (const file of needed) {
    await access(join(dir, file)).catch(() => {
      throw new ModelFolderError(`${dir}: missing ${file}`);
    });
  }
  return parsed.data;
}
