import type { Redis } from "ioredis";

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
 * drops the shared Redis entry and bumps its epoch, so a lookup that read the
 * database before the change cannot write its stale answer back, then tells
 * every process to drop its in-memory copy.
 */
export async function invalidateAuthCache(redis: Redis, invalidation: AuthInvalidation): Promise<void> {
  const [valueKey, epochKey] = cacheKeysOf(invalidation) as [string, string];
  await redis
    .multi()
    .del(valueKey)
    .incr(epochKey)
    .expire(epochKey, EPOCH_TTL_SECONDS)
    .publish(authCacheKeys.channel, JSON.stringify(invalidation))
    .exec();
}
