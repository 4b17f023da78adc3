import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * How a job's end reaches the process waiting for it: the worker publishes
 * it on the channel the job names (`replyTo`), which only that process
 * subscribes to. One message per job, instead of every process reading
 * every job's events from the queue's event stream (QueueEvents).
 */
export const jobReply = z.union([
  // A failure first: the success shape (returnvalue: unknown) would match it too.
  z.object({ id: z.string(), failedReason: z.string() }),
  z.object({ id: z.string(), returnvalue: z.unknown() }),
]);
export type JobReply = z.infer<typeof jobReply>;

/** A reply channel of its own for each producer process. */
export const newReplyChannel = (prefix: string) => `${prefix}:replies:${randomUUID()}`;

/**
 * Publishes a job's end to whoever waits for it: a result as soon as the
 * worker has it, a failure once BullMQ has recorded it (decision 0015).
 * Not awaited: the job goes on to be recorded; a reply that could not be
 * sent is reported (`lost`), and its waiter learns of it from the job's record.
 */
export function publishReply(
  redis: Redis,
  channel: string | undefined,
  reply: JobReply,
  lost: (error: unknown) => void,
): void {
  if (channel) redis.publish(channel, JSON.stringify(reply)).catch(lost);
}
