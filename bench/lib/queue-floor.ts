import { randomBytes } from "node:crypto";
import { Queue, QueueEvents, Worker } from "bullmq";
import type { Redis } from "ioredis";

/**
 * The floor of a queue hop: BullMQ add, a worker in this process that does
 * nothing, the completion seen by the producer through QueueEvents. Returns
 * a `run` for `load()` and a `close`.
 */
export async function queueFloor(redis: Redis, concurrency: number) {
  const name = `floor-${randomBytes(3).toString("hex")}`;
  const prefix = "benchfloor";
  const consumer = redis.duplicate({ maxRetriesPerRequest: null });
  const listener = redis.duplicate({ maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection: redis, prefix });
  const worker = new Worker(name, async () => 1, { connection: consumer, prefix, concurrency });
  const events = new QueueEvents(name, { connection: listener, prefix });
  // Every waiting request listens: many at once.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  return {
    run: async () => {
      const job = await queue.add("noop", { at: Date.now() }, { removeOnComplete: { age: 60 } });
      await job.waitUntilFinished(events, 30_000);
      return 1;
    },
    close: async () => {
      await Promise.all([worker.close(), events.close()]);
      await queue.obliterate({ force: true });
      await queue.close();
      consumer.disconnect();
      listener.disconnect();
    },
  };
}
