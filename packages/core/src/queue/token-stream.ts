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

export type TokenStreamEntry =
  /** A piece of generated text, sealed for `${requestId}:text`, base64. */
  | { type: "text"; sealed: string; attempt: number }
  /** A retry started over: text of earlier attempts is void. */
  | { type: "restart"; attempt: number }
  | { type: "end"; finishReason: string; attempt: number };

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
  #pending: string[][] = [];
  #sent: Promise<void> = Promise.resolve();
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

  /** Fire and forget; a failure surfaces at `restart` or `end`. */
  text(sealed: string) {
    this.#add(["t", "text", "d", sealed]);
  }

  async restart() {
    this.#add(["t", "restart"]);
    await this.#drain();
  }

  async end(finishReason: string) {
    this.#add(["t", "end", "f", finishReason]);
    await this.#drain();
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
