import { describe, expect, it } from "vitest";
import { spreadsheetCsv } from "./spreadsheet-csv.ts";

const cell = (value: unknown) => spreadsheetCsv([[value]], {}).replace(/\n$/, "");

describe("spreadsheetCsv", () => {
  it("makes every cell that would start a formula inert, and leaves the rest as typed", () => {
    expect(cell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(["+1+1", "-2+3", "@SUM(A1)", "\tTAB"].map(cell)).toEqual(["'+1+1", "'-2+3", "'@SUM(A1)", "'\tTAB"]);
    expect(cell("\rCR")).toBe(`"'\rCR"`);
    expect(["plain name", "a=b, c", "2026-12-05"].map(cell)).toEqual(["plain name", '"a=b, c"', "2026-12-05"]);
    // Numbers are numbers, not text a person typed: a negative one stays a number.
    expect([-5, 7n].map(cell)).toEqual(["-5", "7"]);
  });
});
