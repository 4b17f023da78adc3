import type { Redis } from "ioredis";

/** A request's token stream lives this long after its last entry. */
const STREAM_TTL_SECONDS = 300;
// A script, not MULTI: an ioredis pipeline copies every script defined on the connection (BullMQ's dozens) when made.
const APPEND = `redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2)) redis.call('EXPIRE', KEYS[1], ARGV[1]) return 0`;

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
      .eval(APPEND, 1, this.#key, STREAM_TTL_SECONDS, ...fields, "a", String(this.attempt))
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

/** An entry as XREAD returns it (a flat list of fields and values), or undefined if it is none of ours. */
export function parseTokenStreamEntry(fields: string[]): TokenStreamEntry | undefined {
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
