import type { Redis } from "ioredis";
import { parseTokenStreamEntry, tokenStreamKey, type TokenStreamEntry } from "./token-stream.ts";

interface Follow {
  lastId: string;
  entries: TokenStreamEntry[];
  failure?: Error;
  wake?: () => void;
}

/**
 * Every request's token stream read over one connection: one blocking XREAD
 * covers all the streams being followed, so a thousand concurrent streams
 * cost one connection, not a thousand. A stream followed while the read
 * blocks unblocks it (CLIENT UNBLOCK, from the other connection), so its
 * first tokens never wait out the block.
 */
export class TokenStreamReader {
  readonly #follows = new Map<string, Follow>();
  #running = false;
  /** The reading connection's client id while an XREAD of it is in flight. */
  #blockedClient: number | undefined;
  #stale = false;

  constructor(
    /** A connection of its own: it blocks. */
    private readonly reader: Redis,
    /** Any other connection, to unblock the reader. */
    private readonly control: Redis,
    private readonly prefix: string,
    private readonly blockMs = 1000,
  ) {}

  /** A request's entries from the start, until its end entry or until `signal` aborts. */
  async *read(requestId: string, signal?: AbortSignal): AsyncGenerator<TokenStreamEntry> {
    const key = tokenStreamKey(this.prefix, requestId);
    const follow: Follow = { lastId: "0", entries: [] };
    this.#follows.set(key, follow);
    this.#changed();
    const onAbort = () => follow.wake?.();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal?.aborted) {
        const entry = follow.entries.shift();
        if (entry) {
          yield entry;
          if (entry.type === "end") return;
          continue;
        }
        if (follow.failure) throw follow.failure;
        await new Promise<void>((resolve) => (follow.wake = resolve));
        follow.wake = undefined;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.#follows.delete(key);
    }
  }

  /** The set of streams changed: start reading, or make the blocked read start again with it. */
  #changed() {
    this.#stale = true;
    if (!this.#running) {
      this.#running = true;
      void this.#run().finally(() => (this.#running = false));
    } else if (this.#blockedClient !== undefined) {
      this.#unblock(this.#blockedClient);
    }
  }

  #unblock(client: number) {
    this.control.client("UNBLOCK", client).then(
      (unblocked) => {
        // Not blocked yet (its XREAD was still on the way): again, once it can be.
        if (unblocked === 0 && this.#stale && this.#blockedClient === client) setImmediate(() => this.#unblock(client));
      },
      () => {}, // Redis away: the read fails on its own.
    );
  }

  async #run() {
    try {
      if (this.reader.status === "wait") await this.reader.connect();
      const client = Number(await this.reader.client("ID"));
      while (this.#follows.size > 0) {
        const keys = [...this.#follows.keys()];
        const ids = keys.map((key) => this.#follows.get(key)?.lastId ?? "0");
        this.#stale = false;
        this.#blockedClient = client;
        const reply = await this.reader
          .xread("COUNT", 256, "BLOCK", this.blockMs, "STREAMS", ...keys, ...ids)
          .finally(() => (this.#blockedClient = undefined));
        for (const [key, entries] of reply ?? []) {
          const follow = this.#follows.get(key);
          if (!follow) continue;
          for (const [id, fields] of entries) {
            follow.lastId = id;
            const entry = parseTokenStreamEntry(fields);
            if (entry) follow.entries.push(entry);
          }
          follow.wake?.();
        }
      }
    } catch (error) {
      // Redis went away: every stream being read fails now; the next read starts over.
      for (const follow of this.#follows.values()) {
        follow.failure = error as Error;
        follow.wake?.();
      }
    }
  }
}
