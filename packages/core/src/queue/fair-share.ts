/** BullMQ's largest priority. */
const MAX_PRIORITY = 2 ** 21 - 1;

/**
 * Per-tenant fairness within a model's queue, on open-source BullMQ: each
 * job's priority is how many jobs its tenant already has in flight on that
 * model through this process. A tenant that floods a queue pushes its own
 * later jobs back; another tenant's next job still comes out first. Counted
 * in memory (decision 0013): no Redis round trip on the hot path, and a
 * count that dies with its process never needs expiring.
 */
export class FairShare {
  readonly #inFlight = new Map<string, number>();

  #key(model: string, tenantId: string) {
    return `${model}\n${tenantId}`;
  }

  /** Counts a job in; its priority (1 is the highest). */
  enter(model: string, tenantId: string): number {
    const key = this.#key(model, tenantId);
    const count = (this.#inFlight.get(key) ?? 0) + 1;
    this.#inFlight.set(key, count);
    return Math.min(MAX_PRIORITY, count);
  }

  /** Counts a job out, once its caller stopped waiting for it (whatever way). */
  leave(model: string, tenantId: string): void {
    const key = this.#key(model, tenantId);
    const count = (this.#inFlight.get(key) ?? 0) - 1;
    if (count > 0) this.#inFlight.set(key, count);
    else this.#inFlight.delete(key);
  }
}
