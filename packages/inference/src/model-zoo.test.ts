import { modelZooFolders } from "@aiaas/model-zoo";
import { describe, expect, it } from "vitest";
import { readModelFolder } from "./read-model-folder.ts";

describe("the shipped models", () => {
  it.each(Object.entries(modelZooFolders()))("%s is a valid model folder named by its id", async (id, dir) => {
    const { manifest, files } = await readModelFolder(dir);
    expect(manifest.id).toBe(id);
    if (manifest.task === "echo") expect(files.onnx).toBeUndefined();
    else expect(files.onnx).toMatch(/\.onnx$/);
  });
});
