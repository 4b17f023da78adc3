import type { Redis } from "ioredis";

/** BullMQ's largest priority. */
const MAX_PRIORITY = 2 ** 21 - 1;
const TTL_SECONDS = 600;
const LEAVE = `if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Per-tenant fairness within a model's queue, on open-source BullMQ: each
 * job's priority is how many jobs its tenant already has waiting or running
 * on that model. A tenant that floods a queue pushes its own later jobs
 * back; another tenant's next job still comes out first.
 */
export class FairShare {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  #key(model: string, tenantId: string) {
    return `${this.prefix}:fair:${model}:${tenantId}`;
  }

  /** Counts a job in; its priority (1 is the highest). */
  async enter(model: string, tenantId: string): Promise<number> {
    const key = this.#key(model, tenantId);
    const [[, count] = []] = (await this.redis.multi().incr(key).expire(key, TTL_SECONDS).exec()) ?? [];
    return Math.min(MAX_PRIORITY, Math.max(1, Number(count)));
  }

  /** Counts a job out, once it has finished (whatever way). */
  async leave(model: string, tenantId: string): Promise<void> {
    await this.redis.eval(LEAVE, 1, this.#key(model, tenantId));
  }
}
