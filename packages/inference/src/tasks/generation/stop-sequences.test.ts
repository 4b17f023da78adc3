import { describe, expect, it } from "vitest";
import { StopSequences } from "./stop-sequences.ts";

describe("StopSequences", () => {
  const stops = new StopSequences(["\n\n", "END"]);

  it("finds the earliest stop sequence", () => {
    expect(stops.stopIndex("one END two\n\n")).toBe(4);
    expect(stops.stopIndex("nothing here")).toBeUndefined();
  });

  it("holds back a tail that may become a stop sequence", () => {
    expect(stops.safeLength("and the EN")).toBe(8);
    expect(stops.safeLength("and then\n")).toBe(8);
    expect(stops.safeLength("and then")).toBe(8);
  });

  it("holds nothing back without stop sequences", () => {
    expect(new StopSequences([]).safeLength("abc")).toBe(3);
  });
});
