import type { Redis } from "ioredis";
import { redisScript, runScript } from "./run-script.ts";

/** One fixed-window counter: at most `max` in `window` seconds. */
export interface RateCounter {
  key: string;
  window: number;
  max: number;
}

/**
 * Counts one request in every counter, or in none: when any counter is at its
 * max, the request is refused and nothing is counted, and the reply is the
 * refusing counter's index (1-based) and its seconds left. All in one script,
 * so a burst of parallel callers gets exactly the allowance. A counter found
 * without an expiry gets one: it would otherwise refuse for good.
 */
const CONSUME = redisScript(
  "rate-consume",
  `
local refused, wait = 0, 0
for i = 1, #KEYS do
  local window, max = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local ttl = redis.call('TTL', KEYS[i])
  if ttl == -1 then redis.call('EXPIRE', KEYS[i], window) end
  if ttl < 0 then ttl = window end
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= max and ttl > wait then refused, wait = i, ttl end
end
if refused > 0 then return {refused, wait} end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[2 * i - 1]) end
end
return {0, 0}`,
);

export type RateDecision = { allowed: true } | { allowed: false; counter: RateCounter; retryAfter: number };

export async function consumeRateCounters(redis: Redis, counters: RateCounter[]): Promise<RateDecision> {
  const [refused, wait] = (await runScript(
    redis,
    CONSUME,
    counters.map(({ key }) => key),
    counters.flatMap(({ window, max }) => [window, max]),
  )) as [number, number];
  const counter = counters[refused - 1];
  return counter ? { allowed: false, counter, retryAfter: Math.max(wait, 1) } : { allowed: true };
}
