import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";

export interface LocalHub {
  /** For HF_ENDPOINT. */
  url: string;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

const gitOid = (bytes: Buffer) => createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

/**
 * A stand-in for the Hugging Face hub at its HTTP boundary (the real one is
 * out of reach here), serving model folders on loopback the way the hub
 * does: the file tree with sizes and checksums (SHA-256 for the graphs, as
 * Git LFS gives them), the model card's license, and the files.
 */
export async function startLocalHub(models: Record<string, string>, license = "apache-2.0"): Promise<LocalHub> {
  const files = new Map<string, Map<string, Buffer>>();
  for (const [id, dir] of Object.entries(models)) {
    const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    files.set(
      id,
      new Map(
        entries.map((entry) => [
          relative(dir, join(entry.parentPath, entry.name)),
          readFileSync(join(entry.parentPath, entry.name)),
        ]),
      ),
    );
  }
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://hub").pathname);
    requests.push(path);
    for (const [id, folder] of files) {
      if (path === `/api/models/${id}/tree/main`) {
        const tree = [...folder].map(([file, bytes]) => ({
          type: "file",
          path: file,
          size: bytes.length,
          oid: gitOid(bytes),
          ...(file.endsWith(".onnx") && {
            lfs: { oid: createHash("sha256").update(bytes).digest("hex"), size: bytes.length },
          }),
        }));
        return response.end(JSON.stringify(tree));
      }
      if (path === `/api/models/${id}`) return response.end(JSON.stringify({ cardData: { license } }));
      const file = path.startsWith(`/${id}/resolve/main/`)
        ? folder.get(path.slice(`/${id}/resolve/main/`.length))
        : undefined;
      if (file) return response.writeHead(200, { "content-length": file.length }).end(file);
    }
    response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
