import type { Redis } from "ioredis";
import { redisScript, runScript } from "../redis/run-script.ts";

/** A request's token stream lives this long after its last entry. */
const STREAM_TTL_SECONDS = 300;
/**
 * Appends entries and renews the TTL, in one script (not MULTI: an ioredis
 * pipeline copies every script defined on the connection, BullMQ's dozens).
 * ARGV: ttl seconds, then per entry its field count and fields.
 */
const APPEND = redisScript(
  "token-stream-append",
  `
local i = 2
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 0`,
);

export const tokenStreamKey = (prefix: string, requestId: string) => `${prefix}:tokens:${requestId}`;

/** Seals a piece of the stream for its associated data (a tenant keyring's `sealer`). */
export type TokenSealer = (plaintext: Uint8Array, context: string) => Buffer;

/**
 * What a delta's seal binds it to: its request, attempt and place in the
 * attempt's sequence, so that a delta dropped, repeated or moved by whoever
 * can write to Redis no longer opens.
 */
export const tokenTextContext = (requestId: string, attempt: number, seq: number) =>
  `${requestId}:text:${attempt}:${seq}`;

/** What the end of an attempt's stream is bound to: the number of deltas before it. */
export const tokenEndContext = (requestId: string, attempt: number, count: number) =>
  `${requestId}:end:${attempt}:${count}`;

export type TokenStreamEntry =
  /** The `seq`th piece of an attempt's generated text, sealed for `tokenTextContext`, base64. */
  | { type: "text"; sealed: string; seq: number; attempt: number }
  /** A retry started over: text of earlier attempts is void. */
  | { type: "restart"; attempt: number }
  /** The attempt's finish reason after `count` deltas, sealed for `tokenEndContext`, base64. */
  | { type: "end"; sealed: string; count: number; attempt: number };

/**
 * The worker's side of a request's token stream (a Redis stream per request,
 * expiring a few minutes after its last entry). Entries appended in one turn
 * of the event loop (a model that yields several tokens at once) leave in
 * one script call, each still an entry of its own. One call is in flight at
 * a time: what is appended meanwhile leaves together in the next, so no
 * append overtakes an earlier one (not even one falling back to the script's
 * text after Redis forgot it).
 */
export class TokenStreamWriter {
  readonly #key: string;
  /** Deltas appended so far in this attempt. */
  #count = 0;
  #pending: string[][] = [];
  #sent: Promise<void> = Promise.resolve();
  #failure: Error | undefined;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly requestId: string,
    private readonly attempt: number,
    private readonly seal: TokenSealer,
  ) {
    this.#key = tokenStreamKey(prefix, requestId);
  }

  #add(fields: string[]) {
    // Pending entries always have a send queued behind the one in flight; only the first schedules it.
    if (this.#pending.length === 0) queueMicrotask(() => void this.#flush());
    this.#pending.push([...fields, "a", String(this.attempt)]);
  }

  #flush(): Promise<void> {
    this.#sent = this.#sent.then(() => this.#send());
    return this.#sent;
  }

  async #send() {
    const entries = this.#pending;
    this.#pending = [];
    if (entries.length === 0) return;
    const args = entries.flatMap((fields) => [fields.length, ...fields]);
    try {
      await runScript(this.redis, APPEND, [this.#key], [STREAM_TTL_SECONDS, ...args]);
    } catch (error) {
      this.#failure ??= error as Error;
    }
  }

  /** Waits for everything appended so far; a failure of any append surfaces here. */
  async #drain() {
    await this.#flush();
    if (this.#failure) throw this.#failure;
  }

  #sealed(text: string, context: string) {
    return this.seal(Buffer.from(text, "utf8"), context).toString("base64");
  }

  /** Seals the next delta and appends it: fire and forget; a failure surfaces at `restart` or `end`. */
  text(delta: string) {
    const seq = this.#count++;
    this.#add([
      "t",
      "text",
      "n",
      String(seq),
      "d",
      this.#sealed(delta, tokenTextContext(this.requestId, this.attempt, seq)),
    ]);
  }

  async restart() {
    this.#add(["t", "restart"]);
    await this.#drain();
  }

  async end(finishReason: string) {
    const count = this.#count;
    this.#add([
      "t",
      "end",
      "n",
      String(count),
      "d",
      this.#sealed(finishReason, tokenEndContext(this.requestId, this.attempt, count)),
    ]);
    await this.#drain();
  }
}

/** An entry as XREAD returns it (a flat list of fields and values), or undefined if it is none of ours. */
export function parseTokenStreamEntry(fields: string[]): TokenStreamEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? "", fields[i + 1] ?? "");
  const attempt = Number(map.get("a") ?? 1);
  const n = Number(map.get("n") ?? -1);
  const sealed = map.get("d") ?? "";
  switch (map.get("t") ?? "") {
    case "text":
      return { type: "text", sealed, seq: n, attempt };
    case "restart":
      return { type: "restart", attempt };
    case "end":
      return { type: "end", sealed, count: n, attempt };
    default:
      return undefined;
  }
}
