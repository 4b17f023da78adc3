import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelZooDir } from "@aiaas/model-zoo";
import { servedModelFolders } from "./served-models.ts";

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
  it("serves the zoo and the store, the store's folder winning for the same id", () => {
    const dir = store("all-minilm-l6-v2", "paddleocr-v4");
    expect(servedModelFolders("all", dir)).toEqual([
      join(modelZooDir, "echo"),
      join(modelZooDir, "kjv-embed-mini"),
      join(modelZooDir, "kjv-gpt-mini"),
      join(dir, "paddleocr-v4"),
      join(dir, "all-minilm-l6-v2"),
    ]);
  });

  it("serves only the models named, and names the ones it cannot find", () => {
    const dir = store("all-minilm-l6-v2");
    expect(servedModelFolders(["all-minilm-l6-v2", "kjv-gpt-mini"], dir)).toEqual([
      join(dir, "all-minilm-l6-v2"),
      join(modelZooDir, "kjv-gpt-mini"),
    ]);
    expect(() => servedModelFolders(["gpt-5", "kjv-gpt-mini"], "/nonexistent")).toThrow(
      "WORKER_MODELS names gpt-5, which is in neither the model zoo nor MODEL_STORE (/nonexistent); available: echo, kjv-embed-mini, kjv-gpt-mini, paddleocr-v4",
    );
  });
});
