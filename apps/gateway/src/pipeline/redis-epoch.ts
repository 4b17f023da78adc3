import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Notices when Redis has lost its data (restarted without persistence,
 * failed over to an empty replica, `FLUSHALL`): a marker key written once
 * per Redis lifetime is gone, or another gateway already wrote a new one.
 * Read every `everyMs`; `onLoss` runs once per loss.
 */
export class RedisEpoch {
  readonly #key: string;
  #seen: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lostAt: number | undefined;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly onLoss: () => void,
    private readonly everyMs = 1_000,
  ) {
    this.#key = `${prefix}:epoch`;
  }

  /** When this gateway last noticed a loss (epoch ms), if it has. */
  get lostAt(): number | undefined {
    return this.#lostAt;
  }

  start() {
    const look = () => {
      this.check()
        // Redis away: nothing to compare; the next look after it is back tells.
        .catch(() => undefined)
        .finally(() => (this.#timer = setTimeout(look, this.everyMs).unref()));
    };
    look();
  }

  stop() {
    clearTimeout(this.#timer);
  }

  /** Reads the marker (writing it if missing); true if Redis lost its data since the last read. */
  async check(): Promise<boolean> {
    let current = await this.redis.get(this.#key);
    if (current === null) {
      await this.redis.set(this.#key, `${Date.now()}:${randomUUID()}`, "NX");
      current = await this.redis.get(this.#key);
    }
    const lost = this.#seen !== undefined && current !== this.#seen;
    this.#seen = current ?? undefined;
    if (lost) {
      this.#lostAt = Date.now();
      this.onLoss();
    }
    return lost;
  }
}
