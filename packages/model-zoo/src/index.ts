import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

/** Where the shipped model folders live. */
export const modelZooDir = fileURLToPath(new URL("../models", import.meta.url));

/**
 * The model folders in `dir` (sub-folders with an aiaas.json manifest), by
 * folder name, in order of name; none when `dir` does not exist.
 */
export function modelFoldersIn(dir: string): Record<string, string> {
  const root = resolve(dir);
  if (!existsSync(root)) return {};
  const entries = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, "aiaas.json")))
    .sort((a, b) => a.name.localeCompare(b.name));
  return Object.fromEntries(entries.map((entry) => [entry.name, join(root, entry.name)]));
}

/** Every shipped model folder, by model id (the folder's name). */
export const modelZooFolders = () => modelFoldersIn(modelZooDir);
