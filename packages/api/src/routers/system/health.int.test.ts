import { afterAll, describe, expect, it } from "vitest";
import { testDb } from "@aiaas/core/testing";
import { createCaller } from "../../root.ts";

const db = testDb();
afterAll(() => db.$disconnect());

describe("system.health", () => {
  it("reports the database reachable", async () => {
    const caller = createCaller({ db, ip: null, userAgent: null });
    expect(await caller.system.health()).toEqual({ ready: true, checks: { postgres: "ok" } });
  });
});
