import { describe, expect, it } from "vitest";
import { groupsOf, roleForGroups } from "./role-mapping.ts";

const mapping = { groups: { engineers: "developer", admins: "admin", finance: "billing" } as const, defaultRole: null };

describe("role mapping", () => {
  it("gives the most trusted role any of a person's groups maps to", () => {
    expect(roleForGroups(["finance", "engineers"], mapping)).toBe("developer");
    expect(roleForGroups(["admins", "engineers", "unknown"], mapping)).toBe("admin");
  });

  it("gives the default role to someone in no mapped group, or nothing without one", () => {
    expect(roleForGroups(["sales"], mapping)).toBeNull();
    expect(roleForGroups([], { ...mapping, defaultRole: "viewer" })).toBe("viewer");
  });

  it("reads groups as a list, one name, or names separated by commas", () => {
    expect(groupsOf(["a", 1, "b"])).toEqual(["a", "b"]);
    expect(groupsOf("a, b,,c")).toEqual(["a", "b", "c"]);
    expect(groupsOf(undefined)).toEqual([]);
  });
});
