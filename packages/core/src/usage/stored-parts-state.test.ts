import { describe, expect, it } from "vitest";
import { storedPartsState } from "./stored-parts-state.ts";

const DAY = 86_400_000;
const now = new Date("2026-12-01T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const inDays = (days: number) => new Date(now.getTime() + days * DAY);

describe("storedPartsState", () => {
  it("is stored while the ciphertext is there and purge_after is ahead", () => {
    expect(
      storedPartsState({ createdAt: ago(1), purgeAfter: inDays(6), hasPrompt: true, hasResponse: true }, "days_7", now),
    ).toEqual({ state: "stored", until: inDays(6), note: "Stored, encrypted; purged after 7 days." });
  });

  it("is purged once purge_after has passed, even before the purge has cleared the row", () => {
    expect(
      storedPartsState({ createdAt: ago(8), purgeAfter: ago(1), hasPrompt: true, hasResponse: false }, "days_7", now),
    ).toEqual({ state: "purged", afterDays: 7, note: "Purged after 7 days." });
  });

  it("is purged for a cleared row older than the retention period", () => {
    expect(
      storedPartsState({ createdAt: ago(31), purgeAfter: null, hasPrompt: false, hasResponse: false }, "days_30", now),
    ).toEqual({ state: "purged", afterDays: 30, note: "Purged after 30 days." });
  });

  it("says plainly when nothing was stored", () => {
    expect(
      storedPartsState({ createdAt: ago(1), purgeAfter: null, hasPrompt: false, hasResponse: false }, "none", now),
    ).toEqual({ state: "not_stored", retention: "none", note: "Not stored (retention: none)." });
    expect(
      storedPartsState({ createdAt: ago(1), purgeAfter: null, hasPrompt: false, hasResponse: false }, "days_7", now),
    ).toMatchObject({ state: "not_stored", note: "Not stored: retention was none when this request was made." });
  });
});
