import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import { loadOrStale, type Db } from "@aiaas/db";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { unwrapDataKey, wrapDataKey } from "./data-key-wrap.ts";
import { DecryptionError, open, seal, sealedKeyId, type SymmetricKey } from "./envelope.ts";
import type { MasterKeys } from "./master-keys.ts";

/**
 * One data key per tenant (envelope encryption): random AES-256 keys,
 * stored wrapped by a master key, unwrapped on use and kept in memory
 * briefly (longer only while Postgres is out of reach: a key destroyed
 * just before an outage opens in a process that held it until the outage
 * ends). Every lookup is scoped by tenant id.
 */
/** A tenant deleted (crypto-shredded) while its request was on the way: a refusal, never a 500. */
const tenantDeleted = () =>
  new DomainError("forbidden", "This organization was deleted while the request ran: its data keys are destroyed.");

export class TenantKeyring {
  readonly #cache: LRUCache<string, SymmetricKey>;
  readonly #loading = new Map<string, Promise<SymmetricKey>>();

  constructor(
    private readonly db: Db,
    private readonly masterKeys: MasterKeys,
    cacheTtlMs = 60_000,
  ) {
    // An expired key stays until replaced: it is used while Postgres is out of reach.
    this.#cache = new LRUCache({ max: 10_000, ttl: cacheTtlMs, noDeleteOnStaleGet: true });
  }

  /** The tenant's active data key, created (once, under a lock) if it has none. */
  async activeKey(tenantId: string): Promise<SymmetricKey> {
    const cached = this.#cache.get(`active:${tenantId}`);
    if (cached) return cached;
    // One lookup per tenant at a time: a burst of first requests shares it.
    let loading = this.#loading.get(tenantId);
    if (!loading) {
      loading = loadOrStale(
        () => this.#loadActive(tenantId),
        () => this.#cache.get(`active:${tenantId}`, { allowStale: true }),
      ).finally(() => this.#loading.delete(tenantId));
      this.#loading.set(tenantId, loading);
    }
    return loading;
  }

  async #loadActive(tenantId: string): Promise<SymmetricKey> {
    const row = (await this.#findActive(tenantId)) ?? (await this.#create(tenantId));
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
    const row = await this.db.tenantDataKey.findFirst({
      where: { id: dataKeyId, tenantId, destroyedAt: null },
      select: { id: true, wrappedKey: true },
    });
    if (!row) {
      if (!(await this.db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) throw tenantDeleted();
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
    return (plaintext, context) => seal(key, plaintext, `${tenantId}:${context}`);
  }

  async open(tenantId: string, sealed: Uint8Array, context: string): Promise<Buffer> {
    return open(await this.keyFor(tenantId, sealed), sealed, `${tenantId}:${context}`);
  }

  #findActive(tenantId: string) {
    return this.db.tenantDataKey.findFirst({
      where: { tenantId, active: true, destroyedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, wrappedKey: true },
    });
  }

  async #create(tenantId: string) {
    return this.db.$transaction(async (tx) => {
      // One creator per tenant at a time; the loser finds the winner's key.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`data-key:${tenantId}`}))`;
      const existing = await tx.tenantDataKey.findFirst({
        where: { tenantId, active: true, destroyedAt: null },
        select: { id: true, wrappedKey: true },
      });
      if (existing) return existing;
      // A tenant deleted while its request was on the way (crypto-shredded): refuse it, never a 500 on the foreign key.
      const [tenant] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM tenants WHERE id = ${tenantId} FOR KEY SHARE`;
      if (!tenant) throw tenantDeleted();
      const id = newId("dataKey");
      const master = this.masterKeys.current;
      const wrappedKey = wrapDataKey(master, tenantId, id, randomBytes(32));
      await tx.tenantDataKey.create({ data: { id, tenantId, wrappedKey, masterKeyId: master.id } });
      return { id, wrappedKey };
    });
  }

  #unwrap(tenantId: string, row: { id: string; wrappedKey: Uint8Array }): SymmetricKey {
    return unwrapDataKey(this.masterKeys, tenantId, row);
  }
}
