import { describe, expect, it } from "vitest";
import { poolTokenStates } from "./pooling.ts";

const states = Float32Array.from([1, 2, 3, 4, 100, 100]); // 3 tokens x 2 dims, the last one padding

describe("poolTokenStates", () => {
  it("averages only the real tokens", () => {
    expect([...poolTokenStates(states, 2, 2, "mean", false)]).toEqual([2, 3]);
  });
  it("normalises to unit length", () => {
    const v = poolTokenStates(Float32Array.from([3, 4]), 2, 1, "mean", true);
    expect(v[0]).toBeCloseTo(0.6, 6);
    expect(v[1]).toBeCloseTo(0.8, 6);
  });
  it("takes the first token for cls pooling", () => {
    expect([...poolTokenStates(states, 2, 2, "cls", false)]).toEqual([1, 2]);
  });
  it("leaves a zero vector zero instead of dividing by zero", () => {
    expect([...poolTokenStates(new Float32Array(2), 2, 1, "mean", true)]).toEqual([0, 0]);
  });
});
