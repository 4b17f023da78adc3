import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readModelFolder } from "./read-model-folder.ts";

function folder(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "model-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const manifest = { id: "tiny-gpt", task: "completion", license: "MIT", contextLength: 128 };

describe("readModelFolder", () => {
  it("reads a complete Hugging Face style folder with defaults applied", async () => {
    const dir = folder({
      "aiaas.json": JSON.stringify(manifest),
      "config.json": "{}",
      "tokenizer.json": "{}",
      "onnx/model.onnx": "",
    });
    expect(await readModelFolder(dir)).toEqual({ ...manifest, onnx: "onnx/model.onnx", normalize: true });
  });

  it("names a missing file", async () => {
    const dir = folder({ "aiaas.json": JSON.stringify(manifest), "config.json": "{}", "onnx/model.onnx": "" });
    await expect(readModelFolder(dir)).rejects.toThrow(`${dir}: missing tokenizer.json`);
  });

  it("explains a bad manifest", async () => {
    const dir = folder({ "aiaas.json": JSON.stringify({ ...manifest, id: "Bad Id", task: "painting" }) });
    await expect(readModelFolder(dir)).rejects.toThrow(/id: model ids are lowercase.*task: /);
  });

  it("says when there is no manifest", async () => {
    await expect(readModelFolder(folder({}))).rejects.toThrow(/no aiaas.json manifest/);
  });
});
