import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

const shas = new Map<string, string>();
const shaOf = (script: string) => {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash("sha1").update(script).digest("hex");
    shas.set(script, sha);
  }
  return sha;
};

/**
 * Runs a Lua script by its SHA1 (computed here, as Redis does), sending its
 * text only when Redis does not know it yet (first use, or after a restart).
 * A call that falls back can be overtaken by calls sent after it (they find
 * the script its fallback loaded): callers that need order wait for each
 * call before the next (as TokenStreamWriter does).
 */
export async function runScript(redis: Redis, script: string, keys: string[], args: (string | number)[]) {
  try {
    return await redis.evalsha(shaOf(script), keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
