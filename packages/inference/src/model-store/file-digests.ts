import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { MANIFEST_FILE } from "../model-manifest.ts";

export interface FileDigest {
  path: string;
  sha256: string;
  size: number;
}

/** SHA-256 and size of every file of a model folder but our manifest: what makes a version that version. */
export async function fileDigests(dir: string): Promise<FileDigest[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const digests: FileDigest[] = [];
  for (const entry of entries) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (!entry.isFile() || path === MANIFEST_FILE || path.endsWith(".part")) continue;
    const hash = createHash("sha256");
    await pipeline(createReadStream(join(dir, path)), hash);
    digests.push({ path, sha256: hash.digest("hex"), size: (await stat(join(dir, path))).size });
  }
  return digests.sort((a, b) => (a.path < b.path ? -1 : 1));
}
