import { describe, expect, it } from "vitest";
import { slugify, tenantSlug } from "./tenant-slug.ts";

describe("tenant slugs", () => {
  it.each([
    ["Acme Corp.", "acme-corp"],
    ["  Ünïcode Café  ", "unicode-cafe"],
    ["a--b", "a-b"],
  ])("slugify(%j) = %j", (name, slug) => expect(slugify(name)).toBe(slug));

  it.each(["ab", "-abc", "abc-", "ABC", "a_b_c", "a".repeat(41)])("rejects %j", (slug) => {
    expect(tenantSlug.safeParse(slug).success).toBe(false);
  });

  it.each(["abc", "acme-corp", "a1-b2", "a".repeat(40)])("accepts %j", (slug) => {
    expect(tenantSlug.parse(slug)).toBe(slug);
  });
});
