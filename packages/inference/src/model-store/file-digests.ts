import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { MANIFEST_FILE } from "../model-manifest.ts";
import { ModelPullError } from "./model-pull-error.ts";

export interface FileDigest {
  path: string;
  sha256: string;
  size: number;
}

/**
 * The regular files under a model folder, as paths inside it, with their
 * sizes; unfinished downloads (`.part`) left out, a link anywhere refused
 * (it could point outside the folder).
 */
export async function regularFiles(dir: string): Promise<{ path: string; size: number }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: Error) => {
    throw new ModelPullError(`${dir}: ${error.message}`, true);
  });
  const files = [];
  for (const entry of entries) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (entry.isSymbolicLink()) throw new ModelPullError(`${dir}: ${path} is a link; copy the real files`, true);
    if (!entry.isFile() || path.endsWith(".part")) continue;
    files.push({ path, size: (await stat(join(dir, path))).size });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** SHA-256 and size of every file of a model folder but our manifest: what makes a version that version. */
export async function fileDigests(dir: string): Promise<FileDigest[]> {
  const digests: FileDigest[] = [];
  for (const file of await regularFiles(dir)) {
    if (file.path === MANIFEST_FILE) continue;
    const hash = createHash("sha256");
    await pipeline(createReadStream(join(dir, file.path)), hash);
    digests.push({ ...file, sha256: hash.digest("hex") });
  }
  return digests;
}
