import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folderDigest } from "@aiaas/core/models";
import { fileDigests, readModelFolder, versionFiles } from "@aiaas/inference/model-store";
import { modelZooDir } from "@aiaas/model-zoo";
import { servedModelFolders, servedVersions, versionRouter } from "./served-models.ts";

function store(...ids: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "store-"));
  for (const id of ids) {
    mkdirSync(join(dir, id));
    writeFileSync(join(dir, id, "aiaas.json"), "{}");
  }
  mkdirSync(join(dir, "half-downloaded"));
  return dir;
}

describe("servedModelFolders", () => {
  it("serves the zoo's folders and every version in the store, a model's folders side by side", () => {
    const dir = store("all-minilm-l6-v2@v1", "all-minilm-l6-v2@v2", "paddleocr-v4");
    expect(servedModelFolders("all", dir)).toEqual([
      join(modelZooDir, "echo"),
      join(modelZooDir, "kjv-embed-mini"),
      join(modelZooDir, "kjv-gpt-mini"),
      join(modelZooDir, "paddleocr-v4"),
      join(dir, "paddleocr-v4"),
      join(dir, "all-minilm-l6-v2@v1"),
      join(dir, "all-minilm-l6-v2@v2"),
    ]);
  });

  it("serves only the models named, and names the ones it cannot find", () => {
    const dir = store("all-minilm-l6-v2@v1", "all-minilm-l6-v2@v2");
    expect(servedModelFolders(["all-minilm-l6-v2", "kjv-gpt-mini"], dir)).toEqual([
      join(dir, "all-minilm-l6-v2@v1"),
      join(dir, "all-minilm-l6-v2@v2"),
      join(modelZooDir, "kjv-gpt-mini"),
    ]);
    expect(() => servedModelFolders(["gpt-5", "kjv-gpt-mini"], "/nonexistent")).toThrow(
      "WORKER_MODELS names gpt-5, which is in neither the model zoo nor MODEL_STORE (/nonexistent); available: echo, kjv-embed-mini, kjv-gpt-mini, paddleocr-v4",
    );
  });
});

describe("servedVersions", () => {
  it("serves each folder's main graph and its variants, known by the digests the catalogue registers", async () => {
    const zoo = join(modelZooDir, "kjv-gpt-mini");
    // A second copy of the same files is the same version, held once.
    const copy = join(store(), "kjv-gpt-mini");
    cpSync(zoo, copy, { recursive: true });
    const versions = await servedVersions([zoo, copy, join(modelZooDir, "echo")]);
    expect(versions.map(({ model, variant, dir }) => ({ model, variant, dir }))).toEqual([
      { model: "kjv-gpt-mini", variant: undefined, dir: zoo },
      { model: "kjv-gpt-mini", variant: "int8", dir: zoo },
      { model: "echo", variant: undefined, dir: join(modelZooDir, "echo") },
    ]);
    const [main, int8] = versions;
    // The main graph's version leaves the int8 graph out, and the reverse.
    const files = await fileDigests(zoo);
    const { manifest } = await readModelFolder(zoo);
    expect(main?.sha256).toBe(folderDigest(files.filter((file) => file.path !== "onnx/model_int8.onnx")));
    expect(int8?.sha256).toBe(folderDigest(versionFiles(files, manifest, "int8")));
    expect(versionFiles(files, manifest, "int8").map((file) => file.path)).not.toContain("onnx/model.onnx");
    expect(int8?.key).toBe(`kjv-gpt-mini@${int8?.sha256.slice(0, 12)}`);

    const router = versionRouter(versions);
    expect(router.keyOf("kjv-gpt-mini")).toBe(main?.key);
    expect(router.keyOf("kjv-gpt-mini", int8?.sha256)).toBe(int8?.key);
    expect(router.keyOf("kjv-gpt-mini", "f".repeat(64))).toBeUndefined();
    expect(router.keyOf("kjv-embed-mini")).toBeUndefined();
    expect(router.digests()).toEqual({
      "kjv-gpt-mini": [main?.sha256, int8?.sha256],
      echo: [folderDigest([])],
    });
  });
});
