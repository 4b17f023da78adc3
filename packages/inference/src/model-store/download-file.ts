import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import { ModelPullError, unreachable } from "./model-pull-error.ts";
import type { HubFile } from "./hub-api.ts";

export interface DownloadProgress {
  path: string;
  received: number;
  total: number;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function digest(path: string, file: HubFile): Promise<{ ok: boolean; got: string }> {
  const hash = file.sha256 ? createHash("sha256") : createHash("sha1").update(`blob ${file.size}\0`);
  await pipeline(createReadStream(path), hash);
  const got = hash.digest("hex");
  return { ok: got === (file.sha256 ?? file.gitOid), got };
}

/**
 * Downloads one file to `target`, through `target.part`: an interrupted
 * download resumes where it stopped (HTTP Range), and the file is renamed
 * into place only once its checksum matches what the hub lists.
 */
export async function downloadFile(
  url: string,
  file: HubFile,
  target: string,
  options: { token?: string; endpoint: string; onProgress?: (progress: DownloadProgress) => void },
) {
  const part = `${target}.part`;
  await mkdir(dirname(target), { recursive: true });
  let received = await sizeOf(part);
  if (received > file.size) {
    await rm(part);
    received = 0;
  }
  if (received < file.size) {
    const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    if (received > 0) headers.range = `bytes=${received}-`;
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: "follow", signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw unreachable(options.endpoint, error);
    }
    if (!response.ok || !response.body) {
      throw new ModelPullError(`${file.path}: the hub answered ${response.status} ${response.statusText}`);
    }
    // A server that ignores Range sends the whole file again: start over.
    const resumed = received > 0 && response.status === 206;
    if (!resumed) received = 0;
    const body = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
    body.on("data", (chunk: Buffer) => {
      received += chunk.length;
      // More than the hub listed is never what we asked for: stop before it fills the disk.
      if (received > file.size) body.destroy(new Error(`more than the ${file.size} bytes listed`));
      options.onProgress?.({ path: file.path, received, total: file.size });
    });
    try {
      await pipeline(body, createWriteStream(part, { flags: resumed ? "a" : "w" }));
    } catch (error) {
      throw new ModelPullError(
        `${file.path}: the download broke off at ${received} of ${file.size} bytes (${(error as Error).message}); run the same command again to resume`,
      );
    }
  }
  const { ok, got } = await digest(part, file);
  if (!ok) {
    await rm(part, { force: true });
    throw new ModelPullError(
      `${file.path}: checksum mismatch (expected ${file.sha256 ?? file.gitOid}, got ${got}); the partial file was removed, run the command again`,
    );
  }
  await rename(part, target);
  options.onProgress?.({ path: file.path, received: file.size, total: file.size });
}
