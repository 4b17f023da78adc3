import type { Redis } from "ioredis";
import { listLiveWorkers } from "@aiaas/core/queue";

/**
 * Which models, and which versions of them, some live worker serves, from
 * the heartbeats, refreshed every couple of seconds. A model found missing
 * is looked up again sooner: a worker that has just started should not
 * wait out a full period.
 */
export class LiveModels {
  #cached: { at: number; models: Promise<Set<string>> } | undefined;
  /** Models every live worker serving them runs groups for, as last read. */
  #grouping = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = 2_000,
    private readonly missTtlMs = 200,
  ) {}

  /** Whether a live worker serves `model`, and the version with this digest when one is given. */
  async served(model: string, version?: string, now = Date.now()): Promise<boolean> {
    const key = version ? `${model}@${version}` : model;
    const entry = this.#fresh(now);
    if ((await entry.models).has(key)) return true;
    if (now - entry.at < this.missTtlMs) return false;
    this.#cached = undefined;
    return (await this.#fresh(now).models).has(key);
  }

  /**
   * Whether every live worker serving `model` runs group jobs, as last read:
   * during a rolling upgrade, requests travel alone until the last worker
   * from before groups is gone.
   */
  acceptsGroups(model: string): boolean {
    return this.#grouping.has(model);
  }

  #fresh(now: number) {
    if (!this.#cached || now - this.#cached.at >= this.ttlMs) {
      const models = listLiveWorkers(this.redis, this.prefix).then((workers) => {
        const served = workers.flatMap((worker) => worker.models);
        this.#grouping = new Set(
          served.filter((model) => workers.every((worker) => worker.jobGroups || !worker.models.includes(model))),
        );
        return new Set(
          workers.flatMap((worker) => [
            ...worker.models,
            ...Object.entries(worker.versions).flatMap(([model, digests]) => digests.map((sha) => `${model}@${sha}`)),
          ]),
        );
      });
      models.catch(() => (this.#cached = undefined));
      this.#cached = { at: now, models };
    }
    return this.#cached;
  }
}
