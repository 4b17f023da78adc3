import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script, with the name its failures are reported under and its SHA1 (as Redis computes it). */
export interface RedisScript {
  name: string;
  source: string;
  sha: string;
}

export const redisScript = (name: string, source: string): RedisScript => ({
  name,
  source,
  sha: createHash("sha1").update(source).digest("hex"),
});

/**
 * Redis refused to run a script or the script raised an error: a bug of
 * ours or data it cannot read, never a connection problem. Callers log it
 * with the script's name and the request, and count it.
 */
export class ScriptError extends Error {
  override name = "ScriptError";

  constructor(
    readonly script: string,
    cause: Error,
  ) {
    super(`Redis script '${script}' failed: ${cause.message}`, { cause });
  }
}

/** ioredis's error for a reply of Redis's own (as opposed to a lost connection). */
const isReplyError = (error: unknown): error is Error => error instanceof Error && error.name === "ReplyError";

const failure = (script: RedisScript, error: unknown) =>
  isReplyError(error) ? new ScriptError(script.name, error) : error;

/**
 * Runs a Lua script by its SHA1, sending its text only when Redis does not
 * know it yet (first use, or after a restart). A call that falls back can be
 * overtaken by calls sent after it (they find the script its fallback
 * loaded): callers that need order wait for each call before the next (as
 * TokenStreamWriter does). Errors the script raises become ScriptErrors.
 */
export async function runScript(redis: Redis, script: RedisScript, keys: string[], args: (string | number)[]) {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!isReplyError(error) || !error.message.startsWith("NOSCRIPT")) throw failure(script, error);
  }
  try {
    return await redis.eval(script.source, keys.length, ...keys, ...args);
  } catch (error) {
    throw failure(script, error);
  }
}
