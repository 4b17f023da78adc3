import type { ChainableCommander, Redis } from "ioredis";
import { decodeRecord, encodeRecord, type UsageRecord } from "./usage-record.ts";

/** A log entry: its id (the stream's), and its record or why it has none. */
export type LogEntry = { id: string } & ({ record: UsageRecord } | { unreadable: string; raw: string });

/**
 * The usage log: a Redis stream every gateway appends each finished
 * request's record to before the answer leaves (Redis keeps it on disk with
 * its append-only file). The gateway that appended a record writes it to
 * Postgres and then deletes it; what stays past a while belonged to a
 * gateway that died (or could not write) and is written by whichever
 * gateway sweeps the log. Never trimmed: an entry leaves only once written.
 */
export class UsageLog {
  readonly #key: string;
  readonly #sweepLock: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.#key = `${prefix}:usage-log`;
    this.#sweepLock = `${prefix}:usage-log:sweeper`;
  }

  /**
   * Appends a record; resolves with its entry id once Redis has it. `along`
   * adds writes that must happen with it or not at all (one MULTI): the
   * request's Idempotency-Key outcome, so that a gateway dying in between
   * cannot leave a request billed with no outcome for its retry to find.
   */
  async append(record: UsageRecord, along?: (multi: ChainableCommander) => void): Promise<string> {
    if (!along) {
      const id = await this.redis.xadd(this.#key, "*", "r", encodeRecord(record));
      if (!id) throw new Error("the usage log refused the record");
      return id;
    }
    const multi = this.redis.multi().xadd(this.#key, "*", "r", encodeRecord(record));
    along(multi);
    const [appended, ...rest] = (await multi.exec()) ?? [];
    const failed = [appended, ...rest].find((result) => !result || result[0]);
    if (failed || typeof appended?.[1] !== "string") throw failed?.[0] ?? new Error("the usage log refused the record");
    return appended[1];
  }

  /** Deletes entries that are written (or dead-lettered). */
  async remove(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.redis.xdel(this.#key, ...ids);
  }

  /** Entries appended more than `ageMs` ago (on Redis's clock), oldest first. */
  async orphans(ageMs: number, count: number): Promise<LogEntry[]> {
    const [seconds, micros] = await this.redis.time();
    const cutoff = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - ageMs;
    if (cutoff <= 0) return [];
    // An end without a sequence takes every entry of that millisecond (`${cutoff}-0` left out all but its first).
    const entries = await this.redis.xrange(this.#key, "-", String(cutoff), "COUNT", count);
    return entries.map(([id, fields]) => {
      const raw = fields[fields.indexOf("r") + 1] ?? "";
      return { id, raw, ...decodeRecord(raw) };
    });
  }

  /** Records in the log now: appended but not yet written (a gauge for operators). */
  async length(): Promise<number> {
    return this.redis.xlen(this.#key);
  }

  /** One sweeper at a time across gateways: true if this one may sweep for the next `ttlMs`. */
  async claimSweep(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.#sweepLock, owner, "PX", ttlMs, "NX")) === "OK";
  }
}
