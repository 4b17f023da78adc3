import { describe, expect, it } from "vitest";
import { formatDay, formatMicros, formatMs, plural } from "./format.ts";

describe("usage formatting", () => {
  it("shows micro-dollars as dollars, keeping small amounts", () => {
    expect(formatMicros(0n)).toBe("$0.00");
    expect(formatMicros(1_005n)).toBe("$0.001005");
    expect(formatMicros(12_340_000n)).toBe("$12.34");
  });

  it("names UTC days and counts", () => {
    expect(formatDay("2026-12-01")).toBe("Dec 1");
    expect(plural(1, "request")).toBe("1 request");
    expect(plural(1200, "token")).toBe("1,200 tokens");
    expect(formatMs(null)).toBe("—");
    expect(formatMs(1500)).toBe("1,500 ms");
  });
});
