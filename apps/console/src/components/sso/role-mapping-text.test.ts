import { describe, expect, it } from "vitest";
import { mappingText, parseMapping } from "./role-mapping-text.ts";

describe("role mapping text", () => {
  it("reads group = role lines (a group name may hold spaces and =) and writes them back", () => {
    const parsed = parseMapping("Engineering Team = developer\n\n a=b = Admin \n");
    expect(parsed).toEqual({ mapping: { "Engineering Team": "developer", "a=b": "admin" } });
    expect(mappingText({ x: "viewer" })).toBe("x = viewer");
  });

  it("says which line is wrong", () => {
    expect(parseMapping("ok = viewer\nno role here")).toEqual({
      error: 'Line 2: write "group = role", the role one of owner, admin, developer, billing, viewer.',
    });
    expect(parseMapping("x = superuser")).toMatchObject({ error: expect.stringMatching(/^Line 1/) as unknown });
  });
});
