import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseHubId } from "./hub-api.ts";
import { localModelId, pullModel } from "./pull-model.ts";

// A stand-in for the model hub at its HTTP boundary (the real one is unreachable here).
const graph = Buffer.alloc(200_000, 7);
const files: Record<string, Buffer> = {
  "config.json": Buffer.from(
    JSON.stringify({ architectures: ["BertModel"], model_type: "bert", max_position_embeddings: 512 }),
  ),
  "tokenizer.json": Buffer.from("{}"),
  "tokenizer_config.json": Buffer.from("{}"),
  "onnx/model.onnx": graph,
  "README.md": Buffer.from("not downloaded"),
};
const gitOid = (bytes: Buffer) => createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

let server: Server;
let endpoint: string;
let store: string;
const seen: { path: string; range?: string }[] = [];
let breakNextGraphAt: number | undefined;
let corruptGraph = false;

function serve(request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", endpoint);
  seen.push({ path: url.pathname, range: request.headers.range });
  if (url.pathname === "/api/models/acme/mini-embed/tree/main") {
    const tree = Object.entries(files).map(([path, bytes]) => ({
      type: "file",
      path,
      size: bytes.length,
      oid: gitOid(bytes),
      ...(path.endsWith(".onnx")
        ? { lfs: { oid: createHash("sha256").update(bytes).digest("hex"), size: bytes.length } }
        : {}),
    }));
    return response.end(JSON.stringify([{ type: "directory", path: "onnx", size: 0, oid: "x" }, ...tree]));
  }
  if (url.pathname === "/api/models/acme/mini-embed")
    return response.end(JSON.stringify({ cardData: { license: "apache-2.0" } }));
  if (url.pathname === "/api/models/acme/no-onnx/tree/main") {
    return response.end(JSON.stringify([{ type: "file", path: "config.json", size: 2, oid: "x" }]));
  }
  const match = /^\/acme\/mini-embed\/resolve\/main\/(.+)$/.exec(url.pathname);
  const body = match ? files[decodeURIComponent(match[1] ?? "")] : undefined;
  if (!body) return response.writeHead(404).end("not found");
  const served = corruptGraph && body === graph ? Buffer.alloc(body.length, 8) : body;
  const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? "")?.[1] ?? 0);
  response.writeHead(start > 0 ? 206 : 200, { "content-length": served.length - start });
  if (body === graph && breakNextGraphAt !== undefined) {
    const cut = breakNextGraphAt;
    breakNextGraphAt = undefined;
    response.write(served.subarray(start, cut));
    return setTimeout(() => response.destroy(), 20);
  }
  response.end(served.subarray(start));
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());
beforeEach(async () => {
  store = await mkdtemp(join(tmpdir(), "store-"));
  seen.length = 0;
  breakNextGraphAt = undefined;
  corruptGraph = false;
});

describe("models pull", () => {
  it("downloads the folder, verifies it and writes our manifest", async () => {
    const progress: number[] = [];
    const pulled = await pullModel({
      hubId: "acme/mini-embed",
      store,
      endpoint,
      onProgress: ({ path, received }) => path === "onnx/model.onnx" && progress.push(received),
    });
    expect(pulled.id).toBe("mini-embed");
    expect(pulled.files.map((file) => file.path).sort()).toEqual([
      "config.json",
      "onnx/model.onnx",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
    expect(await readFile(join(store, "mini-embed/onnx/model.onnx"))).toEqual(graph);
    expect(existsSync(join(store, "mini-embed/README.md"))).toBe(false);
    expect(progress.at(-1)).toBe(graph.length);
    expect(pulled.folder.manifest).toMatchObject({
      id: "mini-embed",
      task: "embedding",
      license: "apache-2.0",
      contextLength: 512,
      displayName: "acme/mini-embed",
    });
  });

  it("resumes a broken download where it stopped", async () => {
    breakNextGraphAt = 50_000;
    await expect(pullModel({ hubId: "acme/mini-embed", store, endpoint })).rejects.toThrow(
      /onnx\/model.onnx: the download broke off at \d+ of 200000 bytes .*run the same command again to resume/,
    );
    await pullModel({ hubId: "acme/mini-embed", store, endpoint });
    expect(await readFile(join(store, "mini-embed/onnx/model.onnx"))).toEqual(graph);
    expect(seen.filter((request) => request.range).map((request) => request.range)).toEqual(["bytes=50000-"]);
  });

  it("throws away a file whose checksum does not match", async () => {
    corruptGraph = true;
    await expect(pullModel({ hubId: "acme/mini-embed", store, endpoint })).rejects.toThrow(
      /onnx\/model.onnx: checksum mismatch \(expected [0-9a-f]{64}, got [0-9a-f]{64}\); the partial file was removed/,
    );
    expect(existsSync(join(store, "mini-embed/onnx/model.onnx"))).toBe(false);
    expect(existsSync(join(store, "mini-embed/onnx/model.onnx.part"))).toBe(false);
  });

  it("explains unknown models and repositories without an ONNX export", async () => {
    await expect(pullModel({ hubId: "acme/nothing", store, endpoint })).rejects.toThrow(
      "acme/nothing (revision main) is not on 127.0.0.1",
    );
    await expect(pullModel({ hubId: "acme/no-onnx", store, endpoint })).rejects.toThrow(
      /acme\/no-onnx has no tokenizer.json, onnx\/model.onnx: pull a repository with an ONNX export/,
    );
  });

  it("fails fast, saying what to do, when the hub cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const started = Date.now();
    await expect(pullModel({ hubId: "acme/mini-embed", store, endpoint: `http://127.0.0.1:${port}` })).rejects.toThrow(
      `cannot reach 127.0.0.1:${port} (ECONNREFUSED). This machine may have no route to the model hub: set HF_ENDPOINT`,
    );
    await expect(pullModel({ hubId: "acme/mini-embed", store, endpoint: "http://hub.invalid" })).rejects.toThrow(
      /^cannot reach hub.invalid \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("checks the hub id and names folders in the ids models take", () => {
    expect(parseHubId("Xenova/all-MiniLM-L6-v2")).toBe("Xenova/all-MiniLM-L6-v2");
    expect(parseHubId("gpt2")).toBe("gpt2");
    for (const bad of ["a/b/c", "../x/y", "owner/", "owner/na me", ""]) {
      expect(() => parseHubId(bad)).toThrow(`"${bad}" is not a hub model id: expected owner/name`);
    }
    expect(localModelId("Xenova/all-MiniLM-L6-v2")).toBe("all-minilm-l6-v2");
    expect(localModelId("org/Some_Model.v2")).toBe("some-model.v2");
    expect(localModelId("gpt2")).toBe("gpt2");
  });
});
