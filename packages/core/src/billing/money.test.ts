import { describe, expect, it } from "vitest";
import { formatPerMillionTokens, formatUsd, usdToMicros } from "./money.ts";

describe("money", () => {
  it("converts dollars to integer micro-dollars, rounding away float noise", () => {
    expect(usdToMicros(25)).toBe(25_000_000n);
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000n);
    expect(usdToMicros(2.5)).toBe(2_500_000n);
  });

  it("formats micro-dollars in cents", () => {
    expect(formatUsd(5_000_000n)).toBe("$5.00");
    expect(formatUsd(1_234_567n)).toBe("$1.23");
    expect(formatUsd(0n)).toBe("$0.00");
    expect(formatPerMillionTokens(100n)).toBe("$0.10 / 1M");
  });
});
