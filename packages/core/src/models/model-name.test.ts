import { describe, expect, it } from "vitest";
import { aliasedName, parseModelName } from "./model-name.ts";

describe("public model names", () => {
  it("read the default alias, a named alias and a pinned version", () => {
    expect(parseModelName("kjv-gpt-mini")).toEqual({ slug: "kjv-gpt-mini", alias: "default" });
    expect(parseModelName("kjv-gpt-mini:int8")).toEqual({ slug: "kjv-gpt-mini", alias: "int8" });
    expect(parseModelName("qwen2.5-0.5b@v1.2_rc")).toEqual({ slug: "qwen2.5-0.5b", version: "v1.2_rc" });
  });

  it("refuse what is none of them", () => {
    for (const name of ["", "Kjv", "a", "x:y:z", "x@y@z", "x:a@b", "x@", "x:", "x:Int8", "x@-v", "../x", "x y"])
      expect(parseModelName(name), name).toBeUndefined();
  });

  it("write the default alias as the bare id", () => {
    expect(aliasedName("kjv-gpt-mini", "default")).toBe("kjv-gpt-mini");
    expect(aliasedName("kjv-gpt-mini", "int8")).toBe("kjv-gpt-mini:int8");
  });
});
