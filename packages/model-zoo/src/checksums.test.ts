import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelZooFolders } from "./index.ts";

const trained = Object.entries(modelZooFolders()).filter(([, dir]) => existsSync(join(dir, "SHA256SUMS")));

describe("the model zoo's artefacts", () => {
  it("has the trained models, each with checksums", () => {
    expect(trained.map(([id]) => id).sort()).toEqual(["kjv-embed-mini", "kjv-gpt-mini"]);
  });

  it.each(trained)("%s matches its SHA256SUMS", (_id, dir) => {
    const lines = readFileSync(join(dir, "SHA256SUMS"), "utf8").trim().split("\n");
    expect(lines.map((line) => line.split(/\s+/)[1])).toContain("onnx/model.onnx");
    for (const line of lines) {
      const [sum, file = ""] = line.split(/\s+/);
      const actual = createHash("sha256")
        .update(readFileSync(join(dir, file)))
        .digest("hex");
      expect(`${file} ${actual}`).toBe(`${file} ${sum}`);
    }
  });
});
