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
    const loaded = await readModelFolder(dir);
    expect(loaded.manifest).toEqual({
      ...manifest,
      onnx: "onnx/model.onnx",
      description: "",
      pooling: "mean",
      normalize: true,
      batching: {},
      variants: {},
    });
    expect(loaded.files).toEqual({
      onnx: join(dir, "onnx/model.onnx"),
      config: join(dir, "config.json"),
      tokenizer: join(dir, "tokenizer.json"),
    });
  });

  it("reads a variant's graph in place of the main one, and names a variant it does not have", async () => {
    const variants = { int8: { onnx: "onnx/model_int8.onnx" } };
    const files = { "config.json": "{}", "tokenizer.json": "{}", "onnx/model.onnx": "", "onnx/model_int8.onnx": "" };
    const dir = folder({ "aiaas.json": JSON.stringify({ ...manifest, variants }), ...files });
    const int8 = await readModelFolder(dir, "int8");
    expect(int8).toMatchObject({ variant: "int8", manifest: { onnx: "onnx/model_int8.onnx" } });
    expect(int8.files.onnx).toBe(join(dir, "onnx/model_int8.onnx"));
    expect((await readModelFolder(dir)).files.onnx).toBe(join(dir, "onnx/model.onnx"));
    await expect(readModelFolder(dir, "fp16")).rejects.toThrow(`${dir}: no variant "fp16" (it has: int8)`);
  });

  it("names a missing file", async () => {
    const dir = folder({ "aiaas.json": JSON.stringify(manifest), "config.json": "{}", "onnx/model.onnx": "" });
    await expect(readModelFolder(dir)).rejects.toThrow(`${dir}: missing tokenizer.json`);
  });

  it("explains a bad manifest", async () => {
    const dir = folder({ "aiaas.json": JSON.stringify({ ...manifest, id: "Bad Id", task: "painting" }) });
    await expect(readModelFolder(dir)).rejects.toThrow(/id: model ids are lowercase.*task: /);
  });

  it("resolves npm: references through node_modules and requires OCR's extra files", async () => {
    const dir = folder({
      "aiaas.json": JSON.stringify({
        id: "ocr",
        task: "ocr",
        license: "Apache-2.0",
        onnx: "npm:some-models/det.onnx",
        recognition: "npm:some-models/rec.onnx",
        dictionary: "keys.txt",
      }),
      "keys.txt": "a",
      "node_modules/some-models/det.onnx": "",
      "node_modules/some-models/rec.onnx": "",
    });
    const { files } = await readModelFolder(dir);
    expect(files.recognition).toBe(join(dir, "node_modules/some-models/rec.onnx"));
    const broken = folder({ "aiaas.json": JSON.stringify({ id: "ocr", task: "ocr", license: "MIT" }) });
    await expect(readModelFolder(broken)).rejects.toThrow(/recognition: required for OCR models; dictionary: required/);
    const missing = folder({
      "aiaas.json": JSON.stringify({
        id: "ocr",
        task: "ocr",
        license: "MIT",
        recognition: "npm:none/x.onnx",
        dictionary: "k",
      }),
      "onnx/model.onnx": "",
    });
    await expect(readModelFolder(missing)).rejects.toThrow("missing npm:none/x.onnx");
  });

  it("says when there is no manifest", async () => {
    await expect(readModelFolder(folder({}))).rejects.toThrow(/no aiaas.json manifest/);
  });
});
