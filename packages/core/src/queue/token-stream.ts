import type { Redis } from "ioredis";

/** A request's token stream lives this long after its last entry. */
const STREAM_TTL_SECONDS = 300;

export const tokenStreamKey = (prefix: string, requestId: string) => `${prefix}:tokens:${requestId}`;

export type TokenStreamEntry =
  /** A piece of generated text, sealed for `${requestId}:text`, base64. */
  | { type: "text"; sealed: string; attempt: number }
  /** A retry started over: text of earlier attempts is void. */
  | { type: "restart"; attempt: number }
  | { type: "end"; finishReason: string; attempt: number };

/**
 * The worker's side of a request's token stream (a Redis stream per request,
 * expiring a few minutes after its last entry). Appends keep their order:
 * they go down one connection without waiting for each other.
 */
export class TokenStreamWriter {
  readonly #key: string;
  #failure: Error | undefined;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    requestId: string,
    private readonly attempt: number,
  ) {
    this.#key = tokenStreamKey(prefix, requestId);
  }

  #add(fields: string[]) {
    return this.redis
      .multi()
      .xadd(this.#key, "*", ...fields, "a", String(this.attempt))
      .expire(this.#key, STREAM_TTL_SECONDS)
      .exec()
      .then(() => undefined);
  }

  /** Fire and forget; a failure surfaces at `end`. */
  text(sealed: string) {
    this.#add(["t", "text", "d", sealed]).catch((error: Error) => (this.#failure ??= error));
  }

  async restart() {
    await this.#add(["t", "restart"]);
  }

  async end(finishReason: string) {
    await this.#add(["t", "end", "f", finishReason]);
    if (this.#failure) throw this.#failure;
  }
}

function parseEntry(fields: string[]): TokenStreamEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? "", fields[i + 1] ?? "");
  const attempt = Number(map.get("a") ?? 1);
  const type = map.get("t") ?? "";
  switch (type) {
    case "text":
      return { type: "text", sealed: map.get("d") ?? "", attempt };
    case "restart":
      return { type: "restart", attempt };
    case "end":
      return { type: "end", finishReason: map.get("f") ?? "stop", attempt };
    default:
      return undefined;
  }
}

/**
 * Reads a request's token stream from the start until its end entry, or
 * until `signal` aborts. Needs a connection of its own (XREAD BLOCK).
 */
export async function* readTokenStream(
  redis: Redis,
  prefix: string,
  requestId: string,
  { blockMs = 1000, signal }: { blockMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<TokenStreamEntry> {
  const key = tokenStreamKey(prefix, requestId);
  let lastId = "0";
  while (!signal?.aborted) {
    const reply = await redis.xread("COUNT", 256, "BLOCK", blockMs, "STREAMS", key, lastId);
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        lastId = id;
        const entry = parseEntry(fields);
        if (!entry) continue;
        yield entry;
        if (entry.type === "end") return;
      }
    }
  }
}
