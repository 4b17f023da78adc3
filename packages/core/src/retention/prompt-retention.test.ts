import { describe, expect, it } from "vitest";
import { promptPurgeAfter } from "./prompt-retention.ts";

describe("promptPurgeAfter", () => {
  const now = new Date("2026-03-01T12:00:00.000Z");

  it("stores nothing for retention none", () => {
    expect(promptPurgeAfter("none", now)).toBeNull();
  });

  it.each([
    ["days_7", "2026-03-08T12:00:00.000Z"],
    ["days_30", "2026-03-31T12:00:00.000Z"],
  ] as const)("keeps %s until %s", (retention, until) => {
    expect(promptPurgeAfter(retention, now)?.toISOString()).toBe(until);
  });
});
