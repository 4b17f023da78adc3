import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { testDb, testRedisUrl } from "@aiaas/core/testing";
import { anonymousCaller } from "../../testing/api-caller.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "api-test");
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

describe("system.health", () => {
  it("reports the database reachable, to anyone", async () => {
    expect(await anonymousCaller(redis).system.health()).toEqual({ ready: true, checks: { postgres: "ok" } });
  });
});
