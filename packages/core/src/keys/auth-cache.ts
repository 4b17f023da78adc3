import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { redisScript, runScript } from "../redis/run-script.ts";

/** Redis names shared by every process that verifies keys or invalidates them. */
export const authCacheKeys = {
  key: (keyHash: string) => `aiaas:auth:key:${keyHash}`,
  keyEpoch: (keyHash: string) => `aiaas:auth:key-epoch:${keyHash}`,
  tenantStatus: (tenantId: string) => `aiaas:auth:tenant-status:${tenantId}`,
  tenantEpoch: (tenantId: string) => `aiaas:auth:tenant-epoch:${tenantId}`,
  channel: "aiaas:auth:invalidate",
} as const;

/** Epochs outlive every cached value they guard. */
export const EPOCH_TTL_SECONDS = 86_400;

export type AuthInvalidation = { keyHash: string } | { tenantId: string };

const cacheKeysOf = (invalidation: AuthInvalidation) =>
  "keyHash" in invalidation
    ? [authCacheKeys.key(invalidation.keyHash), authCacheKeys.keyEpoch(invalidation.keyHash)]
    : [authCacheKeys.tenantStatus(invalidation.tenantId), authCacheKeys.tenantEpoch(invalidation.tenantId)];

/**
 * Makes every verifier forget a key (revoked, rolled, changed) or a tenant's
 * status (suspended, resumed). Call it after the change has committed. It
 * drops the shared Redis entry and gives its epoch a new value, never used
 * before (a counter that expired and counted up again could meet a stale
 * reader's number), so a lookup that read the database before the change
 * cannot write its stale answer back; then tells every process to drop its
 * in-memory copy.
 */
export async function invalidateAuthCache(redis: Redis, invalidation: AuthInvalidation): Promise<void> {
  const [valueKey, epochKey] = cacheKeysOf(invalidation) as [string, string];
  await redis
    .multi()
    .del(valueKey)
    .set(epochKey, randomUUID(), "EX", EPOCH_TTL_SECONDS)
    .publish(authCacheKeys.channel, JSON.stringify(invalidation))
    .exec();
}

/** Writes `value` only if the epoch is still the one read before loading it. */
const SET_IF_EPOCH = redisScript(
  "auth-cache-set-if-epoch",
  `
if (redis.call('GET', KEYS[2]) or '0') == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
end
return 0`,
);

/**
 * Caches a value a verifier loaded from Postgres, unless an invalidation
 * bumped its epoch since the verifier read `epoch` (before loading): then
 * the value may be stale, and the next lookup loads it again.
 */
export async function cacheUnlessInvalidated(
  redis: Redis,
  entry: { valueKey: string; epochKey: string; epoch: string; value: string; ttlSeconds: number },
): Promise<void> {
  await runScript(redis, SET_IF_EPOCH, [entry.valueKey, entry.epochKey], [entry.value, entry.epoch, entry.ttlSeconds]);
}
