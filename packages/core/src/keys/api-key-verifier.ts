import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Db, TenantStatus } from "@aiaas/db";
import { parseApiKey } from "./api-key-format.ts";
import { hashApiKey } from "./api-key-hash.ts";
import {
  authCacheKeys,
  followInvalidations,
  authCacheSeal,
  cacheUnlessInvalidated,
  isKnownUnknown,
  rememberUnknownKey,
  type AuthInvalidation,
} from "./auth-cache.ts";
import { loadKeyRecord, type KeyRecord } from "./key-record.ts";

/** Why a key is refused; `tampered`: its cached record in Redis was altered (logged by the caller). */
export type KeyDenial = "malformed" | "unknown" | "revoked" | "expired" | "tenant_suspended" | "tampered";
export type KeyVerification =
  { ok: true; key: KeyRecord; keyHash: string } | { ok: false; reason: KeyDenial; key: KeyRecord | null };

export interface ApiKeyVerifierOptions {
  db: Db;
  /** Fail-fast connection for cache reads and writes; verification falls back to Postgres without it. */
  redis: Redis;
  /** A separate connection in subscriber mode, for push invalidation. */
  subscriber: Redis;
  pepper: string;
  /** In-process cache lifetime; a safety net, since invalidation is pushed. */
  memoryTtlMs?: number;
  redisTtlSeconds?: number;
  maxEntries?: number;
}

export interface VerifyOptions {
  /**
   * Called before a lookup that would reach Postgres (no cache knows the
   * key); it may throw to refuse the request instead. The gateway limits such
   * lookups per client address with it.
   */
  beforeDatabase?: () => Promise<void>;
}

const UNKNOWN = Symbol("unknown key");
const TAMPERED = Symbol("tampered cache entry");

/**
 * Verifies public API keys: format and checksum first (no I/O), then an
 * in-process LRU, then Redis, then Postgres. Revocations and suspensions are
 * pushed over Redis pub/sub (`invalidateAuthCache`) and take effect in every
 * process at once; after a reconnect, when messages may have been missed,
 * the in-process cache starts empty.
 */
/** Why a key may not be used at `now` (revoked, expired, or rolled past its grace), or null. */
export function keyDenial(key: KeyRecord, now: number): "revoked" | "expired" | null {
  if (key.revokedAt !== null && key.revokedAt <= now) return "revoked";
  if (key.expiresAt !== null && key.expiresAt <= now) return "expired";
  if (key.graceEndsAt !== null && key.graceEndsAt <= now) return "expired";
  return null;
}

export class ApiKeyVerifier {
  readonly #options: Required<ApiKeyVerifierOptions>;
  readonly #seal: ReturnType<typeof authCacheSeal>;
  readonly #keys: LRUCache<string, KeyRecord | typeof UNKNOWN>;
  readonly #tenantStatus: LRUCache<string, TenantStatus>;
  /** Bumped on every invalidation: a lookup that started before one is not cached. */
  #generation = 0;

  constructor(options: ApiKeyVerifierOptions) {
    this.#options = { memoryTtlMs: 60_000, redisTtlSeconds: 300, maxEntries: 50_000, ...options };
    this.#seal = authCacheSeal(options.pepper);
    const cacheOptions = { max: this.#options.maxEntries, ttl: this.#options.memoryTtlMs };
    this.#keys = new LRUCache(cacheOptions);
    this.#tenantStatus = new LRUCache(cacheOptions);
  }

  /** Subscribes to invalidations; resolves once subscribed. */
  async start(): Promise<void> {
    await followInvalidations(this.#options.subscriber, (invalidation) => this.#invalidate(invalidation));
  }

  async verify(secret: string, now = Date.now(), options: VerifyOptions = {}): Promise<KeyVerification> {
    if (!parseApiKey(secret)) return { ok: false, reason: "malformed", key: null };
    const keyHash = hashApiKey(secret, this.#options.pepper);
    const key = await this.#lookupKey(keyHash, now, options);
    if (key === UNKNOWN) return { ok: false, reason: "unknown", key: null };
    if (key === TAMPERED) return { ok: false, reason: "tampered", key: null };
    const status = await this.#lookupTenantStatus(key.tenantId);
    if (status === TAMPERED) return { ok: false, reason: "tampered", key };
    const denial = keyDenial(key, now) ?? (status === "suspended" ? "tenant_suspended" : null);
    return denial ? { ok: false, reason: denial, key } : { ok: true, key, keyHash };
  }

  async #lookupKey(
    keyHash: string,
    now: number,
    { beforeDatabase }: VerifyOptions,
  ): Promise<KeyRecord | typeof UNKNOWN | typeof TAMPERED> {
    const cached = this.#keys.get(keyHash);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const shared = await this.#readShared(authCacheKeys.key(keyHash), authCacheKeys.keyEpoch(keyHash));
    if (shared?.value === TAMPERED) return TAMPERED;
    let key: KeyRecord | typeof UNKNOWN;
    if (shared?.value) {
      key = JSON.parse(shared.value) as KeyRecord;
    } else if (shared && (await this.#knownUnknown(keyHash, now))) {
      key = UNKNOWN;
    } else {
      await beforeDatabase?.();
      const loaded = await loadKeyRecord(keyHash, this.#options.db);
      key = loaded?.record ?? UNKNOWN;
      if (loaded && shared) {
        await this.#writeShared(
          authCacheKeys.key(keyHash),
          authCacheKeys.keyEpoch(keyHash),
          shared.epoch,
          JSON.stringify(loaded.record),
        );
      }
      if (!loaded && shared) await this.#rememberUnknown(keyHash, now);
    }
    // Unknown keys are remembered briefly, so a flood of them stays off Postgres.
    if (generation === this.#generation) this.#keys.set(keyHash, key, key === UNKNOWN ? { ttl: 5_000 } : undefined);
    return key;
  }

  async #lookupTenantStatus(tenantId: string): Promise<TenantStatus | typeof TAMPERED> {
    const cached = this.#tenantStatus.get(tenantId);
    if (cached) return cached;
    const generation = this.#generation;
    const valueKey = authCacheKeys.tenantStatus(tenantId);
    const epochKey = authCacheKeys.tenantEpoch(tenantId);
    const shared = await this.#readShared(valueKey, epochKey);
    if (shared?.value === TAMPERED) return TAMPERED;
    let status = shared?.value as TenantStatus | null | undefined;
    if (!status) {
      const tenant = await this.#options.db.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
      status = tenant?.status ?? "suspended";
      if (shared) await this.#writeShared(valueKey, epochKey, shared.epoch, status);
    }
    if (generation === this.#generation) this.#tenantStatus.set(tenantId, status);
    return status;
  }

  /**
   * The shared value (opened: TAMPERED when its seal does not match) and its
   * epoch; null when Redis is unavailable (then Postgres answers).
   */
  async #readShared(
    valueKey: string,
    epochKey: string,
  ): Promise<{ value: string | typeof TAMPERED | null; epoch: string } | null> {
    let read: (string | null)[];
    try {
      read = await this.#options.redis.mget(valueKey, epochKey);
    } catch {
      return null;
    }
    const [sealed, epoch] = read;
    const value = sealed ? (this.#seal.open(valueKey, sealed) ?? TAMPERED) : null;
    return { value, epoch: epoch ?? "0" };
  }

  /** Caches in Redis unless an invalidation bumped the epoch since it was read. */
  async #writeShared(valueKey: string, epochKey: string, epoch: string, value: string) {
    const { redis, redisTtlSeconds } = this.#options;
    const sealed = this.#seal.seal(valueKey, value);
    try {
      await cacheUnlessInvalidated(redis, { valueKey, epochKey, epoch, value: sealed, ttlSeconds: redisTtlSeconds });
    } catch {
      // The cache is an optimisation: Postgres stays the source of truth.
    }
  }

  async #knownUnknown(keyHash: string, now: number): Promise<boolean> {
    try {
      return await isKnownUnknown(this.#options.redis, keyHash, now);
    } catch {
      return false; // Postgres answers instead
    }
  }

  async #rememberUnknown(keyHash: string, now: number) {
    try {
      await rememberUnknownKey(this.#options.redis, keyHash, now);
    } catch {
      // The cache is an optimisation: Postgres stays the source of truth.
    }
  }

  #invalidate(invalidation: AuthInvalidation | null) {
    this.#generation += 1;
    if (invalidation === null) this.#clear();
    else if ("keyHash" in invalidation) this.#keys.delete(invalidation.keyHash);
    else this.#tenantStatus.delete(invalidation.tenantId);
  }

  #clear() {
    this.#generation += 1;
    this.#keys.clear();
    this.#tenantStatus.clear();
  }
}
