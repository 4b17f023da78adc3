import { describe, expect, it } from "vitest";
import { nextUtcDay, nextUtcMonth, startOfUtcDay, utcDayKey } from "./utc-calendar.ts";

describe("the UTC calendar", () => {
  const lateOnNewYearsEve = new Date("2026-12-31T23:59:59.999Z");

  it("names and bounds the UTC day of an instant", () => {
    expect(utcDayKey(lateOnNewYearsEve)).toBe("2026-12-31");
    expect(startOfUtcDay(lateOnNewYearsEve).toISOString()).toBe("2026-12-31T00:00:00.000Z");
    expect(nextUtcDay(lateOnNewYearsEve).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("rolls months over the year's end", () => {
    expect(nextUtcMonth(lateOnNewYearsEve).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(nextUtcMonth(new Date("2026-01-31T12:00:00Z")).toISOString()).toBe("2026-02-01T00:00:00.000Z");
  });
});
