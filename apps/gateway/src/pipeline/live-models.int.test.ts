import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { publishWorkerStatus } from "@aiaas/core/queue";
import { testRedisUrl, testWorkerStatus } from "@aiaas/core/testing";
import { LiveModels } from "./live-models.ts";

const redis = createRedis(testRedisUrl(), "client", "live-models-test");
afterAll(() => redis.disconnect());

const worker = testWorkerStatus;

describe("which models take coalesced groups", () => {
  it("only those whose every live worker runs groups: a worker from before groups keeps its models' requests alone", async () => {
    const prefix = `live${randomBytes(4).toString("hex")}`;
    await publishWorkerStatus(redis, prefix, worker("new", ["echo", "kjv-embed-mini"], true), 30);
    await publishWorkerStatus(redis, prefix, worker("old", ["echo"]), 30);
    const live = new LiveModels(redis, prefix);
    expect(live.acceptsGroups("echo")).toBe(false); // nothing read yet
    expect(await live.served("echo")).toBe(true);
    expect(live.acceptsGroups("kjv-embed-mini")).toBe(true);
    expect(live.acceptsGroups("echo")).toBe(false);
    expect(live.acceptsGroups("kjv-gpt-mini")).toBe(false);
    await redis.del(`${prefix}:workers`);
  });
});
