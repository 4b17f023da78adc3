import { describe, expect, it } from "vitest";
import { usageCost } from "./usage-cost.ts";

describe("usage cost", () => {
  const price = { inputMicrosPer1k: 20n, outputMicrosPer1k: 60n, imageMicros: 1_000n };

  it("prices tokens per thousand and images each, rounding up to a whole micro-unit", () => {
    expect(usageCost(price, { inputTokens: 1000, outputTokens: 1000, images: 0 })).toBe(80n);
    expect(usageCost(price, { inputTokens: 1, outputTokens: 0, images: 0 })).toBe(1n);
    expect(usageCost(price, { inputTokens: 0, outputTokens: 0, images: 2 })).toBe(2_000n);
    expect(usageCost(price, { inputTokens: 0, outputTokens: 0, images: 0 })).toBe(0n);
  });
});
