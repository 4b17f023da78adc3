import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError } from "../crypto/envelope.ts";
import { parseMasterKeys } from "../crypto/master-keys.ts";
import { TenantKeyring } from "../crypto/tenant-keyring.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { followTenantInvalidations, invalidateAuthCache } from "../keys/auth-cache.ts";
import { createRedis } from "../redis/create-redis.ts";
import { createTestTenant, testContext, testDb, testOwnerDb } from "../testing/fixtures.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { deleteTenant } from "./delete-tenant.ts";

const db = testDb();
const masterKeys = parseMasterKeys(`mk-del:${randomBytes(32).toString("base64")}`);

async function storedRequest(tenantId: string, keyring: TenantKeyring) {
  const model = await db.model.findFirstOrThrow({ select: { id: true } });
  const id = newId("request");
  const promptCiphertext = new Uint8Array(await keyring.seal(tenantId, Buffer.from("secret prompt"), `${id}:input`));
  const dataKeyId = (await keyring.activeKey(tenantId)).id;
  await db.request.create({
    data: { id, tenantId, modelId: model.id, endpoint: "/v1/chat/completions", promptCiphertext, dataKeyId },
  });
  return { id, promptCiphertext };
}

describe("deleteTenant (crypto-shredding)", () => {
  it("destroys the tenant's data keys, deletes the tenant and what it owns, and audits on the platform chain", async () => {
    const [doomed, neighbour] = [await createTestTenant(db), await createTestTenant(db)];
    const keyring = new TenantKeyring(db, masterKeys);
    const request = await storedRequest(doomed.id, keyring);
    const kept = await keyring.seal(neighbour.id, Buffer.from("still here"), "c");
    expect(
      (
        await new TenantKeyring(db, masterKeys).open(doomed.id, request.promptCiphertext, `${request.id}:input`)
      ).toString(),
    ).toBe("secret prompt");

    const deleted = await db.$transaction((tx) =>
      deleteTenant({ tenant: doomed.slug, reason: "contract ended" }, testContext, tx),
    );
    expect(deleted).toEqual({ id: doomed.id, slug: doomed.slug, name: doomed.name, dataKeysDestroyed: 1 });

    // A fresh keyring (nothing cached in memory): the ciphertext sealed before the deletion does not open.
    const opening = new TenantKeyring(db, masterKeys).open(doomed.id, request.promptCiphertext, `${request.id}:input`);
    // Refused as the organization's deletion, not as a fault of ours (the gateway answers 403, never 500).
    await expect(opening).rejects.toBeInstanceOf(DomainError);
    await expect(opening).rejects.toThrow(/This organization was deleted while the request ran/);
    expect(await db.tenantDataKey.count({ where: { tenantId: doomed.id } })).toBe(0);
    expect(await db.tenant.findUnique({ where: { id: doomed.id } })).toBeNull();
    expect(await db.request.findUnique({ where: { id: request.id } })).toBeNull();

    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "tenant.delete", targetId: doomed.id } });
    expect(event).toMatchObject({
      chain: "platform",
      tenantId: null,
      actorType: "system",
      targetType: "tenant",
      metadata: { slug: doomed.slug, dataKeysDestroyed: 1, reason: "contract ended" },
    });
    // The tenant's own chain is kept.
    expect(await db.auditEvent.count({ where: { chain: doomed.id, action: "tenant.create" } })).toBe(1);

    // Other tenants are untouched.
    expect((await new TenantKeyring(db, masterKeys).open(neighbour.id, kept, "c")).toString()).toBe("still here");
    expect(await db.tenantDataKey.count({ where: { tenantId: neighbour.id, destroyedAt: null } })).toBe(1);
  });

  it("leaves no process able to decrypt within a second: every keyring that held the keys drops them", async () => {
    const doomed = await createTestTenant(db);
    const writer = new TenantKeyring(db, masterKeys);
    const request = await storedRequest(doomed.id, writer);
    // Two processes that opened the tenant's data a moment ago: its key sits unwrapped in their memory.
    const followers = [0, 1].map(() => ({
      keyring: new TenantKeyring(db, masterKeys),
      subscriber: createRedis(testRedisUrl(), "consumer", "shred-follower"),
    }));
    const publisher = createRedis(testRedisUrl(), "client", "shred-publisher");
    try {
      for (const { keyring, subscriber } of followers) {
        await subscriber.connect();
        await followTenantInvalidations(subscriber, (tenantId) => keyring.forget(tenantId));
        await keyring.open(doomed.id, request.promptCiphertext, `${request.id}:input`);
      }
      await db.$transaction((tx) => deleteTenant({ tenant: doomed.id }, testContext, tx));
      const shredAt = Date.now();
      await invalidateAuthCache(publisher, { tenantId: doomed.id }); // what `tenants delete` does after committing
      for (const { keyring } of followers) {
        await expect
          .poll(
            () =>
              keyring.open(doomed.id, request.promptCiphertext, `${request.id}:input`).then(
                () => "opens",
                (error: unknown) => (error instanceof DomainError ? "refused" : String(error)),
              ),
            { timeout: 1000, interval: 20 },
          )
          .toBe("refused");
      }
      expect(Date.now() - shredAt).toBeLessThan(1000);
    } finally {
      for (const { subscriber } of followers) subscriber.disconnect();
      publisher.disconnect();
    }
  });

  it("overwrites the key material before the cascade deletes the rows", async () => {
    const tenant = await createTestTenant(db);
    await new TenantKeyring(db, masterKeys).activeKey(tenant.id);
    // A trigger that lives only in this (rolled back) transaction records each data key row as it is deleted.
    // The owner's connection: a trigger is structure, which the apps' login may not make.
    const captured: DeletedRow[] = await testOwnerDb()
      .$transaction(async (tx): Promise<never> => {
        await tx.$executeRawUnsafe(
          "CREATE TEMP TABLE deleted_data_keys ON COMMIT DROP AS SELECT * FROM tenant_data_keys WHERE false",
        );
        await tx.$executeRawUnsafe(`CREATE FUNCTION pg_temp.capture_data_key() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO deleted_data_keys SELECT OLD.*; RETURN OLD; END $$`);
        await tx.$executeRawUnsafe(`CREATE TRIGGER capture_data_key BEFORE DELETE ON tenant_data_keys FOR EACH ROW
          WHEN (OLD.tenant_id = '${tenant.id}') EXECUTE FUNCTION pg_temp.capture_data_key()`);
        await deleteTenant({ tenant: tenant.id }, testContext, tx);
        const rows = await tx.$queryRaw<DeletedRow[]>`
          SELECT wrapped_key, destroyed_at, active FROM deleted_data_keys`;
        throw new Rollback(rows);
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
        return error.rows;
      });
    expect(captured).toHaveLength(1);
    expect(captured[0]?.wrapped_key.byteLength).toBe(0);
    expect(captured[0]?.destroyed_at).toBeInstanceOf(Date);
    expect(captured[0]?.active).toBe(false);
    // Rolled back, trigger and all: the tenant and its key are as they were.
    expect(await db.tenantDataKey.count({ where: { tenantId: tenant.id, destroyedAt: null } })).toBe(1);
  });

  it("refuses a destroyed data key while its row still exists, and names an unknown tenant", async () => {
    const tenant = await createTestTenant(db);
    const sealed = await new TenantKeyring(db, masterKeys).seal(tenant.id, Buffer.from("x"), "c");
    await db.tenantDataKey.updateMany({ where: { tenantId: tenant.id }, data: { destroyedAt: new Date() } });
    await expect(new TenantKeyring(db, masterKeys).open(tenant.id, sealed, "c")).rejects.toBeInstanceOf(
      DecryptionError,
    );
    await expect(db.$transaction((tx) => deleteTenant({ tenant: "no-such-tenant" }, testContext, tx))).rejects.toThrow(
      new DomainError("not_found", 'tenant "no-such-tenant" not found'),
    );
  });
});

interface DeletedRow {
  wrapped_key: Uint8Array;
  destroyed_at: Date | null;
  active: boolean;
}

/** Thrown to roll a transaction back, carrying what it saw. */
class Rollback extends Error {
  constructor(readonly rows: DeletedRow[]) {
    super("rollback");
  }
}
