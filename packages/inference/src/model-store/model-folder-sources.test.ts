import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { MANIFEST_FILE } from "../model-manifest.ts";
import { readModelFolder } from "../read-model-folder.ts";
import { zooModel } from "../testing/zoo.ts";
import { checkModelFolder } from "./check-model-folder.ts";
import { copyModelFolder } from "./copy-model-folder.ts";
import { fileDigests } from "./file-digests.ts";

const tinyQwen2 = fileURLToPath(new URL("../../test-fixtures/hf-tiny/tiny-qwen2", import.meta.url));

let work: string;
let store: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "model-source-"));
  store = join(work, "store");
});

/** The fixture as the hub has it: no manifest of ours. */
async function huggingFaceFolder() {
  const dir = join(work, "Tiny-Qwen2");
  await cp(tinyQwen2, dir, { recursive: true });
  await rm(join(dir, MANIFEST_FILE));
  return dir;
}

describe("a model folder on this machine", () => {
  it("is copied into the store with a manifest of ours, its task read from config.json", async () => {
    const copied = await copyModelFolder(await huggingFaceFolder(), { store });
    expect(copied.id).toBe("tiny-qwen2");
    expect(copied.dir).toBe(join(store, "tiny-qwen2"));
    expect(copied.folder.manifest).toMatchObject({ id: "tiny-qwen2", task: "chat", contextLength: 256 });
    expect(await readFile(join(copied.dir, "onnx/model.onnx"))).toEqual(
      await readFile(join(tinyQwen2, "onnx/model.onnx")),
    );
  });

  it("keeps a manifest of ours, under the id given", async () => {
    const copied = await copyModelFolder(tinyQwen2, { store, id: "qwen-tiny", task: "completion" });
    expect(copied.folder.manifest).toMatchObject({
      id: "qwen-tiny",
      task: "completion",
      license: "test fixture (random weights)",
    });
  });

  it("refuses links (they could point anywhere) and folders over the size cap", async () => {
    const dir = await huggingFaceFolder();
    await expect(copyModelFolder(dir, { store, maxBytes: 100_000 })).rejects.toThrow(
      /is 0\.00 GB, more than this installation takes \(MODEL_PULL_MAX_BYTES/,
    );
    await symlink("/etc/passwd", join(dir, "vocab.txt"));
    await expect(copyModelFolder(dir, { store })).rejects.toThrow(/vocab.txt is a link; copy the real files/);
  });

  it("has one digest per file, the same for the same bytes wherever they are", async () => {
    const copied = await copyModelFolder(await huggingFaceFolder(), { store });
    const digests = await fileDigests(copied.dir);
    expect(digests.map((file) => file.path)).toEqual([
      "config.json",
      "onnx/model.onnx",
      "reference.json",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
    expect(await fileDigests(tinyQwen2)).toEqual(digests);
    await writeFile(join(copied.dir, "config.json"), "{}");
    expect((await fileDigests(copied.dir))[0]?.sha256).not.toBe(digests[0]?.sha256);
  });
});

describe("checkModelFolder", () => {
  it("runs a request of the model's task through it", async () => {
    await expect(checkModelFolder(await readModelFolder(tinyQwen2))).resolves.toBeUndefined();
  }, 30_000);

  it("names a graph that does not fit the task", async () => {
    // An embedder's graph where a decoder's should be: no past_key_values inputs.
    const dir = await huggingFaceFolder();
    await cp((await zooModel("kjv-embed-mini")).files.onnx ?? "", join(dir, "onnx/model.onnx"));
    const copied = await copyModelFolder(dir, { store });
    await expect(checkModelFolder(copied.folder)).rejects.toThrow(
      /the chat model does not run here \(the graph has no past_key_values\.\* inputs/,
    );
  }, 30_000);
});
