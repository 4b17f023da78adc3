import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { createRedis } from "@aiaas/core/platform";
import { queues } from "@aiaas/core/queue";
import { createStoredRequest, createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { startMaintenance } from "./maintenance.ts";

const db = testDb();
const connection = createRedis(testRedisUrl(), "consumer", "maintenance-test-a");
const connections = [connection, createRedis(testRedisUrl(), "consumer", "maintenance-test-b")];
afterAll(() => connections.forEach((redis) => redis.disconnect()));

describe("maintenance queue", () => {
  it("runs the retention purge on a schedule that many workers share: one run per tick", async () => {
    await Promise.all(connections.map((redis) => redis.connect()));
    const tenant = await createTestTenant(db);
    const requestId = await createStoredRequest(db, {
      tenantId: tenant.id,
      promptCiphertext: Buffer.from("old prompt"),
      purgeAfter: new Date(Date.now() - 60_000),
    });

    const prefix = `mt${randomBytes(4).toString("hex")}`;
    const runs: number[] = [];
    const failures: Error[] = [];
    const startedAt = Date.now();
    // Two workers, as in a pool: both upsert the scheduler, both consume.
    const workers = await Promise.all(
      connections.map((redis) =>
        startMaintenance({
          db,
          connection: redis,
          prefix,
          purgeEveryMs: 1000,
          onDone: (task, purged) => task === "purge-expired-prompts" && runs.push(purged),
          onFailed: (_job, error) => failures.push(error),
          onError: (error) => failures.push(error),
        }),
      ),
    );
    const queue = new Queue(queues.maintenance.name(), { connection, prefix });
    try {
      await expect
        .poll(async () => (await db.request.findUniqueOrThrow({ where: { id: requestId } })).promptCiphertext, {
          timeout: 10_000,
          interval: 100,
        })
        .toBeNull();
      await expect.poll(() => runs.length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(3);
      await Promise.all(workers.map((worker) => worker.close()));
      const elapsedTicks = Math.ceil((Date.now() - startedAt) / 1000);

      expect(failures).toEqual([]);
      // The purge's and the subscription charges' (no Stripe here: no meter reporting).
      expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key).sort()).toEqual([
        "charge-subscriptions",
        "purge-expired-prompts",
      ]);
      // Each tick made one job, and one worker ran it.
      const completed = await queue.getJobs(["completed"]);
      expect(completed.filter((job) => job.name === "purge-expired-prompts")).toHaveLength(runs.length);
      expect(runs.length).toBeLessThanOrEqual(elapsedTicks + 1);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
