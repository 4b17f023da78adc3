import { describe, expect, it } from "vitest";
import { formatPerMillionTokens, formatUsd, usdPerUnit, usdToMicros } from "./money.ts";

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

  it("spreads micro-dollars over units as an exact decimal string of dollars", () => {
    expect(usdPerUnit(20n, 1_000n)).toBe("0.00000002");
    expect(usdPerUnit(1_000n, 1n)).toBe("0.001");
    expect(usdPerUnit(2_500_000n, 1n)).toBe("2.5");
    expect(usdPerUnit(100_000_000n, 1n)).toBe("100");
    expect(usdPerUnit(0n, 1_000n)).toBe("0");
    expect(usdPerUnit(1n, 1_000n)).toBe("0.000000001");
  });
});
