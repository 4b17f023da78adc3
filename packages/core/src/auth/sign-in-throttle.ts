import type { Redis } from "ioredis";

export const SIGN_IN_FAILURE_LIMIT = 5;
export const SIGN_IN_LOCKOUT_SECONDS = 15 * 60;

const keyOf = (email: string) => `aiaas:sign-in-failures:${email.trim().toLowerCase()}`;

/**
 * Per-account sign-in throttling (better-auth's own limiter is per IP): after
 * 5 failed attempts an account refuses sign-in for 15 minutes from the last one.
 */
export const signInThrottle = {
  /** Seconds until the account may try again; 0 when it may now. */
  async retryAfter(redis: Redis, email: string): Promise<number> {
    const [failures, ttl] = await redis
      .multi()
      .get(keyOf(email))
      .ttl(keyOf(email))
      .exec()
      .then((replies) => replies?.map(([, value]) => value) ?? []);
    return Number(failures ?? 0) >= SIGN_IN_FAILURE_LIMIT ? Math.max(Number(ttl), 1) : 0;
  },
  async recordFailure(redis: Redis, email: string): Promise<void> {
    await redis.multi().incr(keyOf(email)).expire(keyOf(email), SIGN_IN_LOCKOUT_SECONDS).exec();
  },
  async reset(redis: Redis, email: string): Promise<void> {
    await redis.del(keyOf(email));
  },
};
