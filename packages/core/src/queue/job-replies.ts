import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * How a job's end reaches the process waiting for it: the worker publishes
 * it on the channel the job names (`replyTo`), which only that process
 * subscribes to. One message per job, instead of every process reading
 * every job's events from the queue's event stream (QueueEvents); the
 * members of a group (job-groups.ts) that end in one turn share a message,
 * a list of replies.
 */
export const jobReply = z.union([
  // A failure first: the success shape (returnvalue: unknown) would match it too.
  z.object({ id: z.string(), failedReason: z.string() }),
  z.object({ id: z.string(), returnvalue: z.unknown() }),
]);
export type JobReply = z.infer<typeof jobReply>;

/** A message on a reply channel: one job's reply, or the replies of group members that ended together. */
export const jobReplies = z.union([jobReply.transform((reply) => [reply]), z.array(jobReply).min(1)]);

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

/**
 * The replies of group members, gathered per channel until the end of the
 * event loop's turn and published as one message each: a batch that ends
 * together costs one PUBLISH, whatever its size. Only group members go this
 * way: a gateway that coalesces reads lists, one from before may not.
 */
export class ReplyBatcher {
  readonly #pending = new Map<string, { replies: JobReply[]; lost: ((error: unknown) => void)[] }>();
  #scheduled = false;

  constructor(private readonly redis: Redis) {}

  publish(channel: string | undefined, reply: JobReply, lost: (error: unknown) => void): void {
    if (!channel) return;
    let batch = this.#pending.get(channel);
    if (!batch) this.#pending.set(channel, (batch = { replies: [], lost: [] }));
    batch.replies.push(reply);
    batch.lost.push(lost);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  #flush() {
    this.#scheduled = false;
    for (const [channel, { replies, lost }] of this.#pending) {
      this.redis.publish(channel, JSON.stringify(replies)).catch((error: unknown) => {
        for (const report of lost) report(error);
      });
    }
    this.#pending.clear();
  }
}
