import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** Where the shipped model folders live. */
export const modelZooDir = fileURLToPath(new URL("../models", import.meta.url));

/** Every shipped model folder, by model id (the folder's name). */
export function modelZooFolders(): Record<string, string> {
  const entries = readdirSync(modelZooDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return Object.fromEntries(entries.map((entry) => [entry.name, join(modelZooDir, entry.name)]));
}
