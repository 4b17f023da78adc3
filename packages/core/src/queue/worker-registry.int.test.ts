import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { testWorkerStatus } from "../testing/worker-status.ts";
import { listLiveWorkers, publishWorkerStatus, removeWorkerStatus } from "./worker-registry.ts";

const redis = createRedis(testRedisUrl(), "client", "worker-registry-test");
afterAll(() => redis.disconnect());

const status = (id: string) => testWorkerStatus(id);

describe("the worker registry", () => {
  it("lists live workers in one read, drops expired ones and those that said goodbye", async () => {
    const prefix = `wreg${randomBytes(4).toString("hex")}`;
    await publishWorkerStatus(redis, prefix, status("b"), 30);
    await publishWorkerStatus(redis, prefix, status("a"), 30);
    await publishWorkerStatus(redis, prefix, status("lost"), 1);
    expect((await listLiveWorkers(redis, prefix)).map((worker) => worker.id)).toEqual(["a", "b", "lost"]);

    expect((await listLiveWorkers(redis, prefix, Date.now() + 2_000)).map((worker) => worker.id)).toEqual(["a", "b"]);
    expect(await redis.hkeys(`${prefix}:workers`)).not.toContain("lost");
    await removeWorkerStatus(redis, prefix, "b");
    expect((await listLiveWorkers(redis, prefix)).map((worker) => worker.id)).toEqual(["a"]);
    await redis.del(`${prefix}:workers`);
  });
});
