import { APIError } from "better-auth/api";
import type { Redis } from "ioredis";
import { consumeRateCounters } from "../redis/rate-counters.ts";

/** better-auth's rate-limit storage on Redis, shared by every console process. */
export function redisRateLimitStorage(redis: Redis, prefix = "aiaas:auth-rate:") {
  return {
    async consume(key: string, rule: { window: number; max: number }) {
      const decision = await unavailableWithoutRedis(() =>
        consumeRateCounters(redis, [{ key: `${prefix}${key}`, ...rule }]),
      );
      return decision.allowed
        ? { allowed: true, retryAfter: null }
        : { allowed: false, retryAfter: decision.retryAfter };
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
  } catch (error) {
    // Said to the caller as a 503, and to the operator in the log (a script error would otherwise hide here).
    console.error(`auth: the limits could not be checked in Redis: ${(error as Error).message}`);
    throw new APIError("SERVICE_UNAVAILABLE", {
      message: "Sign-in is unavailable for a moment. Please try again shortly.",
    });
  }
}
