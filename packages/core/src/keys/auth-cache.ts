import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { Redis } from "ioredis";
import { redisScript, runScript } from "../redis/run-script.ts";

/** Redis names shared by every process that verifies keys or invalidates them. */
export const authCacheKeys = {
  key: (keyHash: string) => `aiaas:auth:key:${keyHash}`,
  keyEpoch: (keyHash: string) => `aiaas:auth:key-epoch:${keyHash}`,
  tenantStatus: (tenantId: string) => `aiaas:auth:tenant-status:${tenantId}`,
  tenantEpoch: (tenantId: string) => `aiaas:auth:tenant-epoch:${tenantId}`,
  /** Hashes of keys Postgres did not know, a set per minute (this one and the last are consulted). */
  unknown: (minute: number) => `aiaas:auth:unknown:${minute}`,
  /** A key revoked in the last day: workers refuse its requests still in the queue (isKeyRevoked). */
  revoked: (keyHash: string) => `aiaas:auth:revoked:${keyHash}`,
  channel: "aiaas:auth:invalidate",
} as const;

/** Epochs outlive every cached value they guard. */
export const EPOCH_TTL_SECONDS = 86_400;

/** A key changed (`revoked`: for good, so its requests still queued are not run either), or a tenant's status. */
export type AuthInvalidation = { keyHash: string; revoked?: boolean } | { tenantId: string };

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
  const multi = redis.multi().del(valueKey).set(epochKey, randomUUID(), "EX", EPOCH_TTL_SECONDS);
  if ("keyHash" in invalidation && invalidation.revoked)
    multi.set(authCacheKeys.revoked(invalidation.keyHash), "1", "EX", EPOCH_TTL_SECONDS);
  await multi.publish(authCacheKeys.channel, JSON.stringify(invalidation)).exec();
}

/** Whether a key was revoked (within the last day): a request of it still in the queue is not run. */
export async function isKeyRevoked(redis: Redis, keyHash: string): Promise<boolean> {
  return (await redis.exists(authCacheKeys.revoked(keyHash))) === 1;
}

/**
 * Shared values are sealed with an HMAC under a key derived from the pepper
 * (never in Redis) and bound to their Redis name: whoever can write Redis
 * cannot change a cached key's tenant, scopes or a tenant's status, or move a
 * record to another key's name. `open` answers null for anything altered.
 */
export function authCacheSeal(pepper: string) {
  const macKey = createHmac("sha256", pepper).update("aiaas auth cache v1").digest();
  const mac = (name: string, value: string) => createHmac("sha256", macKey).update(`${name}\n${value}`).digest();
  return {
    seal: (name: string, value: string) => `${mac(name, value).toString("base64url")}.${value}`,
    open(name: string, sealed: string): string | null {
      const dot = sealed.indexOf(".");
      const value = sealed.slice(dot + 1);
      const given = Buffer.from(sealed.slice(0, Math.max(dot, 0)), "base64url");
      const expected = mac(name, value);
      return dot > 0 && given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
    },
  };
}

/** At most this many unknown key hashes are remembered per minute: the set's memory is bounded (about 5 MB). */
export const UNKNOWN_KEYS_PER_MINUTE = 50_000;

const REMEMBER_UNKNOWN = redisScript(
  "auth-cache-remember-unknown",
  `
if redis.call('SCARD', KEYS[1]) < tonumber(ARGV[2]) then redis.call('SADD', KEYS[1], ARGV[1]) end
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], 120) end
return 0`,
);

/**
 * Remembers, for every gateway, that Postgres does not know a key hash: a
 * client retrying a deleted or mistyped-but-valid-looking key stays off
 * Postgres for one to two minutes. Key hashes come from 256 random bits, so
 * one that is unknown now never becomes a real key: nothing to invalidate.
 */
export async function rememberUnknownKey(redis: Redis, keyHash: string, now: number): Promise<void> {
  const minute = Math.floor(now / 60_000);
  await runScript(redis, REMEMBER_UNKNOWN, [authCacheKeys.unknown(minute)], [keyHash, UNKNOWN_KEYS_PER_MINUTE]);
}

/** Whether a key hash was found unknown in this minute or the last. */
export async function isKnownUnknown(redis: Redis, keyHash: string, now: number): Promise<boolean> {
  const minute = Math.floor(now / 60_000);
  const [current, previous] = (await redis
    .multi()
    .sismember(authCacheKeys.unknown(minute), keyHash)
    .sismember(authCacheKeys.unknown(minute - 1), keyHash)
    .exec()) as [[Error | null, number], [Error | null, number]];
  return current[1] === 1 || previous[1] === 1;
}

/**
 * Calls `listener` with the tenant of every tenant invalidation (a suspension,
 * a deletion) any process publishes, and with null after a reconnect, when
 * some may have been missed. Processes that hold a tenant's unwrapped data
 * keys use it to drop them at once: a crypto-shredded tenant cannot be
 * decrypted anywhere a moment later. Resolves once subscribed.
 */
export async function followTenantInvalidations(subscriber: Redis, listener: (tenantId: string | null) => void) {
  await followInvalidations(subscriber, (invalidation) => {
    if (invalidation === null) listener(null);
    else if ("tenantId" in invalidation) listener(invalidation.tenantId);
  });
}

/**
 * Every invalidation published on the channel, as it comes; null when the
 * listener must forget everything it cached: after a reconnect (messages
 * may have been missed meanwhile) or for a message it cannot read.
 * Resolves once subscribed.
 */
export async function followInvalidations(
  subscriber: Redis,
  listener: (invalidation: AuthInvalidation | null) => void,
) {
  subscriber.on("message", (channel: string, message: string) => {
    if (channel !== authCacheKeys.channel) return;
    let invalidation: AuthInvalidation | null;
    try {
      invalidation = JSON.parse(message) as AuthInvalidation;
    } catch {
      invalidation = null; // unreadable: forget everything rather than keep what should go
    }
    listener(invalidation);
  });
  subscriber.on("ready", () => listener(null));
  await subscriber.subscribe(authCacheKeys.channel);
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
