import { APIError } from "better-auth/api";
import type { Redis } from "ioredis";
import { redisScript, runScript } from "../redis/run-script.ts";

/**
 * Counts a request in a fixed window and refuses past `max`, atomically.
 * A counter found without an expiry gets one: it would otherwise refuse for good.
 */
const CONSUME = redisScript(
  "auth-rate-consume",
  `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if count > tonumber(ARGV[2]) then return redis.call('TTL', KEYS[1]) end
return -1`,
);

/** better-auth's rate-limit storage on Redis, shared by every console process. */
export function redisRateLimitStorage(redis: Redis, prefix = "aiaas:auth-rate:") {
  return {
    async consume(key: string, rule: { window: number; max: number }) {
      const retryAfter = (await unavailableWithoutRedis(() =>
        runScript(redis, CONSUME, [`${prefix}${key}`], [rule.window, rule.max]),
      )) as number;
      return retryAfter < 0
        ? { allowed: true, retryAfter: null }
        : { allowed: false, retryAfter: Math.max(retryAfter, 1) };
    },
  };
}

/**
 * Limits cannot be enforced without Redis: refuse with a 503 that says so
 * (fail closed), never a 500.
 */
export async function unavailableWithoutRedis<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch {
    throw new APIError("SERVICE_UNAVAILABLE", {
      message: "Sign-in is unavailable for a moment. Please try again shortly.",
    });
  }
}
