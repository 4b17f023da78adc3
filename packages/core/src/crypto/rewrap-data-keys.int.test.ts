import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestTenant, testContext, testDb } from "../testing/fixtures.ts";
import { sealedKeyId } from "./envelope.ts";
import { parseMasterKeys } from "./master-keys.ts";
import { rewrapDataKeys } from "./rewrap-data-keys.ts";
import { TenantKeyring } from "./tenant-keyring.ts";

const db = testDb();

/** A master key entry with an id of its own, so that runs never see other tests' data keys as theirs. */
const masterKey = (label: string) => {
  const id = `${label}-${randomBytes(4).toString("hex")}`;
  return { id, entry: `${id}:${randomBytes(32).toString("base64")}` };
};

describe("rewrapDataKeys (master key rotation)", () => {
  it("re-wraps old data keys with the new master key: old ciphertext opens with the new key alone, a second run re-wraps none", async () => {
    const [oldKey, newKey] = [masterKey("old"), masterKey("new")];
    const tenants = [await createTestTenant(db), await createTestTenant(db)];
    const before = new TenantKeyring(db, parseMasterKeys(oldKey.entry));
    const sealed = await Promise.all(tenants.map((tenant) => before.seal(tenant.id, Buffer.from(tenant.slug), "c")));
    const startedAt = new Date();

    const rotation = parseMasterKeys(`${newKey.entry},${oldKey.entry}`);
    const report = await rewrapDataKeys({ masterKeys: rotation }, testContext, db);
    expect(report).toMatchObject({
      currentMasterKeyId: newKey.id,
      rewrapped: { [oldKey.id]: 2 },
      rewrappedTotal: 2,
      failed: [],
      remaining: {},
    });

    const rows = await db.tenantDataKey.findMany({
      where: { tenantId: { in: tenants.map((tenant) => tenant.id) } },
      select: { masterKeyId: true, wrappedKey: true, rewrappedAt: true },
    });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.masterKeyId).toBe(newKey.id);
      expect(sealedKeyId(row.wrappedKey)).toBe(newKey.id);
      expect(row.rewrappedAt?.getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
    }

    // The old master key can now be removed from MASTER_KEYS.
    const after = new TenantKeyring(db, parseMasterKeys(newKey.entry));
    for (const [index, tenant] of tenants.entries()) {
      expect((await after.open(tenant.id, sealed[index] ?? Buffer.alloc(0), "c")).toString()).toBe(tenant.slug);
    }
    await expect(
      new TenantKeyring(db, parseMasterKeys(oldKey.entry)).open(
        tenants[0]?.id ?? "",
        sealed[0] ?? Buffer.alloc(0),
        "c",
      ),
    ).rejects.toThrow(/master key new-\w+ .* is not configured/);

    const again = await rewrapDataKeys({ masterKeys: rotation }, testContext, db);
    expect(again).toMatchObject({ rewrappedTotal: 0, rewrapped: {}, failed: [], remaining: {} });

    const events = await db.auditEvent.findMany({
      where: { chain: "platform", action: "crypto.master_key.rotate", targetId: newKey.id },
      orderBy: { seq: "asc" },
    });
    expect(events).toHaveLength(2);
    expect(events.map((event) => [event.tenantId, event.actorType, event.result])).toEqual([
      [null, "system", "success"],
      [null, "system", "success"],
    ]);
    expect(events[0]?.metadata).toMatchObject({
      rewrappedTotal: 2,
      rewrapped: { [oldKey.id]: 2 },
      retiring: [oldKey.id],
    });
    // Counts and ids only: no master key, no data key, no wrapped bytes.
    const recorded = JSON.stringify(events);
    for (const entry of [oldKey.entry, newKey.entry]) expect(recorded).not.toContain(entry.split(":")[1]);
    for (const row of rows) expect(recorded).not.toContain(Buffer.from(row.wrappedKey).toString("base64"));
  });

  it("keeps serving during a rotation: readers and writers on both keys never fail, and two concurrent rotations re-wrap each key once", async () => {
    const [oldKey, newKey] = [masterKey("old"), masterKey("new")];
    const both = parseMasterKeys(`${newKey.entry},${oldKey.entry}`);
    const tenants = await Promise.all(Array.from({ length: 24 }, () => createTestTenant(db)));
    const before = new TenantKeyring(db, parseMasterKeys(oldKey.entry));
    const sealed = new Map<string, Buffer>();
    for (const tenant of tenants) sealed.set(tenant.id, await before.seal(tenant.id, Buffer.from(tenant.id), "old"));
    const newcomers = await Promise.all(Array.from({ length: 4 }, () => createTestTenant(db)));

    let rotating = true;
    const failures: unknown[] = [];
    let rounds = 0;
    const serve = async () => {
      // A fresh keyring each round: nothing comes from memory, every row is read while it is rewritten.
      while (rotating || rounds < 2) {
        const keyring = new TenantKeyring(db, both);
        await Promise.all(
          tenants.map(async (tenant) => {
            const opened = await keyring.open(tenant.id, sealed.get(tenant.id) ?? Buffer.alloc(0), "old");
            if (opened.toString() !== tenant.id) throw new Error(`wrong plaintext for ${tenant.id}`);
            await keyring.open(tenant.id, await keyring.seal(tenant.id, Buffer.from("new"), "new"), "new");
          }),
        ).catch((error: unknown) => failures.push(error));
        rounds += 1;
      }
    };
    const serving = [serve(), serve()];
    // Tenants whose first data key is made during the rotation get it under the new master key.
    const firstKeys = Promise.all(newcomers.map((tenant) => new TenantKeyring(db, both).activeKey(tenant.id)));
    const reports = await Promise.all([
      rewrapDataKeys({ masterKeys: both, batchSize: 4 }, testContext, db),
      rewrapDataKeys({ masterKeys: both, batchSize: 5 }, testContext, db),
    ]);
    rotating = false;
    await Promise.all([...serving, firstKeys]);

    expect(failures).toEqual([]);
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(reports.reduce((sum, report) => sum + report.rewrappedTotal, 0)).toBe(tenants.length);
    for (const report of reports) expect(report).toMatchObject({ failed: [], remaining: {} });

    const rows = await db.tenantDataKey.findMany({
      where: { tenantId: { in: [...tenants, ...newcomers].map((tenant) => tenant.id) } },
      select: { masterKeyId: true },
    });
    expect(rows).toHaveLength(tenants.length + newcomers.length);
    expect(new Set(rows.map((row) => row.masterKeyId))).toEqual(new Set([newKey.id]));
    const after = new TenantKeyring(db, parseMasterKeys(newKey.entry));
    for (const tenant of tenants) {
      expect((await after.open(tenant.id, sealed.get(tenant.id) ?? Buffer.alloc(0), "old")).toString()).toBe(tenant.id);
    }
  });

  it("leaves alone, and reports, data keys that do not unwrap or whose master key is not configured", async () => {
    const [oldKey, newKey, stray, gone] = [masterKey("old"), masterKey("new"), masterKey("stray"), masterKey("gone")];
    const [good, wrongBytes, unconfigured] = [
      await createTestTenant(db),
      await createTestTenant(db),
      await createTestTenant(db),
    ];
    await new TenantKeyring(db, parseMasterKeys(oldKey.entry)).activeKey(good.id);
    await new TenantKeyring(db, parseMasterKeys(stray.entry)).activeKey(wrongBytes.id);
    await new TenantKeyring(db, parseMasterKeys(gone.entry)).activeKey(unconfigured.id);
    // The operator gives the stray key's id with other bytes, and forgets the gone key.
    const strayMistyped = `${stray.id}:${randomBytes(32).toString("base64")}`;
    const rotation = parseMasterKeys(`${newKey.entry},${oldKey.entry},${strayMistyped}`);

    const report = await rewrapDataKeys({ masterKeys: rotation }, testContext, db);
    const wrongRow = await db.tenantDataKey.findFirstOrThrow({ where: { tenantId: wrongBytes.id } });
    expect(report.rewrapped).toEqual({ [oldKey.id]: 1 });
    expect(report.failed).toEqual([wrongRow.id]);
    expect(report.remaining).toEqual({ [stray.id]: 1 });
    expect(report.unconfigured[gone.id]).toBe(1);
    expect(wrongRow).toMatchObject({ masterKeyId: stray.id, rewrappedAt: null });
    expect((await db.tenantDataKey.findFirstOrThrow({ where: { tenantId: unconfigured.id } })).masterKeyId).toBe(
      gone.id,
    );
    const event = await db.auditEvent.findFirstOrThrow({
      where: { chain: "platform", action: "crypto.master_key.rotate", targetId: newKey.id },
    });
    expect(event).toMatchObject({ result: "failure", metadata: { failed: 1, failedDataKeyIds: [wrongRow.id] } });
  });
});
