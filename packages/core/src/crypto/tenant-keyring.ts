import { LRUCache } from "lru-cache";
import { loadOnce, loadOrStale, tenantBoundDb, type Db } from "@aiaas/db";
import { unwrapDataKey } from "./data-key-wrap.ts";
import {
  DEFAULT_DATA_KEY_LIMITS,
  findActiveKey,
  lockedActiveKey,
  tenantDeleted,
  wornOut,
  type DataKeyLimits,
  type Retirement,
} from "./data-key-rotation.ts";
import { DecryptionError, open, seal, sealedKeyId, type SymmetricKey } from "./envelope.ts";
import type { FailureReporter } from "../health/failure-reporter.ts";
import type { MasterKeys } from "./master-keys.ts";

/**
 * Each tenant's data keys (envelope encryption): random AES-256 keys, stored
 * wrapped by a master key, unwrapped on use and kept in memory briefly
 * (longer only while Postgres is out of reach: a key destroyed just before
 * an outage opens in a process that held it until the outage ends). The
 * active key seals; it is replaced when it is older than `maxAgeMs` or has
 * sealed `maxSeals` payloads (counted here, reported by `reportSeals`), and
 * the keys it replaced keep opening what they sealed. Every lookup runs in
 * its tenant's transaction (`tenantBoundDb`); `db` is the platform role's
 * client, for the one statement that spans tenants (`reportSeals`).
 */
export interface TenantKeyringOptions extends Partial<DataKeyLimits> {
  cacheTtlMs?: number;
}

export class TenantKeyring {
  readonly #cache: LRUCache<string, SymmetricKey>;
  readonly #loading = new Map<string, Promise<SymmetricKey>>();
  readonly #limits: DataKeyLimits;
  /** Payloads sealed here since the last report, by data key id. */
  #unreported = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly masterKeys: MasterKeys,
    options: TenantKeyringOptions = {},
  ) {
    const { cacheTtlMs = 60_000, ...limits } = options;
    this.#limits = { ...DEFAULT_DATA_KEY_LIMITS, ...limits };
    // An expired key stays until replaced: it is used while Postgres is out of reach.
    this.#cache = new LRUCache({ max: 10_000, ttl: cacheTtlMs, noDeleteOnStaleGet: true });
  }

  /** The tenant's active data key, created (once, under a lock) if it has none. */
  async activeKey(tenantId: string): Promise<SymmetricKey> {
    const cached = this.#cache.get(`active:${tenantId}`);
    if (cached) return cached;
    // One lookup per tenant at a time: a burst of first requests shares it.
    return loadOnce(this.#loading, tenantId, () =>
      loadOrStale(
        () => this.#loadActive(tenantId),
        () => this.#cache.get(`active:${tenantId}`, { allowStale: true }),
      ),
    );
  }

  async #loadActive(tenantId: string): Promise<SymmetricKey> {
    // A tenant's data keys are read as that tenant (row-level security): never another's, whatever the query.
    const found = await findActiveKey(tenantBoundDb(this.db, tenantId), tenantId);
    const reason = found ? wornOut(found, this.#limits) : null;
    const retire = found && reason ? { id: found.id, reason } : undefined;
    const row = found && !retire ? found : await this.#replace(tenantId, retire);
    const key = this.#unwrap(tenantId, row);
    this.#cache.set(`active:${tenantId}`, key);
    this.#cache.set(`${tenantId}:${key.id}`, key);
    return key;
  }

  /**
   * Drops the unwrapped data keys of a tenant (all tenants with null): the
   * next use reads Postgres, where a shredded tenant's keys are gone.
   */
  forget(tenantId: string | null) {
    for (const cacheKey of [...this.#cache.keys()]) {
      if (tenantId === null || cacheKey === `active:${tenantId}` || cacheKey.startsWith(`${tenantId}:`))
        this.#cache.delete(cacheKey);
    }
  }

  /** The tenant's data key named in a ciphertext; fails for another tenant's or a destroyed key. */
  async keyFor(tenantId: string, sealed: Uint8Array): Promise<SymmetricKey> {
    const dataKeyId = sealedKeyId(sealed);
    const cacheKey = `${tenantId}:${dataKeyId}`;
    const cached = this.#cache.get(cacheKey);
    if (cached) return cached;
    return loadOrStale(
      () => this.#loadKey(tenantId, dataKeyId),
      () => this.#cache.get(cacheKey, { allowStale: true }),
    );
  }

  async #loadKey(tenantId: string, dataKeyId: string): Promise<SymmetricKey> {
    const db = tenantBoundDb(this.db, tenantId);
    const row = await db.tenantDataKey.findFirst({
      where: { id: dataKeyId, tenantId, destroyedAt: null },
      select: { id: true, wrappedKey: true },
    });
    if (!row) {
      if (!(await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) throw tenantDeleted();
      throw new DecryptionError(`data key ${dataKeyId} is not a live key of this tenant`);
    }
    const key = this.#unwrap(tenantId, row);
    this.#cache.set(`${tenantId}:${key.id}`, key);
    return key;
  }

  async seal(tenantId: string, plaintext: Uint8Array, context: string): Promise<Buffer> {
    return (await this.sealer(tenantId))(plaintext, context);
  }

  /** Seals many small payloads in order without awaiting each (streamed text). */
  async sealer(tenantId: string): Promise<(plaintext: Uint8Array, context: string) => Buffer> {
    const key = await this.activeKey(tenantId);
    return (plaintext, context) => {
      this.#unreported.set(key.id, (this.#unreported.get(key.id) ?? 0) + 1);
      return seal(key, plaintext, `${tenantId}:${context}`);
    };
  }

  /**
   * Adds what this process sealed since the last report to each key's
   * count in Postgres (one statement); a key that reached its limit, or
   * that was retired elsewhere, is dropped from the cache, so the next seal
   * uses (or makes) the tenant's new key. Counts that could
   * not be reported are kept for the next report. Returns how many keys
   * reached their limit.
   */
  async reportSeals(): Promise<number> {
    const counts = this.#unreported;
    if (counts.size === 0) return 0;
    this.#unreported = new Map();
    let reported: { tenant_id: string; seal_count: bigint; active: boolean }[];
    try {
      reported = await this.db.$queryRaw`
        UPDATE tenant_data_keys AS k SET seal_count = k.seal_count + c.n
        FROM unnest(${[...counts.keys()]}::text[], ${[...counts.values()]}::bigint[]) AS c(id, n)
        WHERE k.id = c.id
        RETURNING k.tenant_id, k.seal_count, k.active`;
    } catch (error) {
      for (const [id, n] of counts) this.#unreported.set(id, (this.#unreported.get(id) ?? 0) + n);
      throw error;
    }
    // A key another process retired meanwhile is replaced here too, at the next seal.
    const worn = reported.filter((key) => !key.active || key.seal_count >= BigInt(this.#limits.maxSeals));
    for (const key of worn) this.#cache.delete(`active:${key.tenant_id}`);
    return worn.length;
  }

  /**
   * Reports seals every `everyMs`, and once more when stopped (a process's
   * last seals count too); a report that fails is logged and counted.
   */
  startReporting(failures: FailureReporter, everyMs = 10_000): () => Promise<void> {
    const report = () =>
      this.reportSeals().then(
        () => undefined,
        (error: unknown) =>
          failures.report("seal_count_failed", "seals could not be added to their data keys' counts", {}, error),
      );
    const timer = setInterval(() => void report(), everyMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      return report();
    };
  }

  async open(tenantId: string, sealed: Uint8Array, context: string): Promise<Buffer> {
    return (await this.opener(tenantId, sealed))(sealed, context);
  }

  /**
   * Opens many small payloads sealed with the key `first` names (streamed
   * text): the key is loaded here, so a payload that then fails to open was
   * altered, not sealed with a key this server lacks.
   */
  async opener(tenantId: string, first: Uint8Array): Promise<(sealed: Uint8Array, context: string) => Buffer> {
    const key = await this.keyFor(tenantId, first);
    return (sealed, context) => open(key, sealed, `${tenantId}:${context}`);
  }

  /** A new active key, made once under the tenant's lock, retiring `retire` if it is still the active one. */
  #replace(tenantId: string, retire?: Retirement) {
    return tenantBoundDb(this.db, tenantId).$transaction((tx) =>
      lockedActiveKey(tx, tenantId, this.masterKeys.current, retire),
    );
  }

  #unwrap(tenantId: string, row: { id: string; wrappedKey: Uint8Array }): SymmetricKey {
    return unwrapDataKey(this.masterKeys, tenantId, row);
  }
}
