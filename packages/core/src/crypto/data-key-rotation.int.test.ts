import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createPrismaClient } from "@aiaas/db";
import { startPostgresOutage } from "@aiaas/db/testing";
import { createStoredRequest, createTestTenant, testContext, testDb } from "../testing/fixtures.ts";
import { destroyRetiredDataKeys, rotateDataKey } from "./data-key-rotation.ts";
import { sealedKeyId } from "./envelope.ts";
import { parseMasterKeys } from "./master-keys.ts";
import { TenantKeyring } from "./tenant-keyring.ts";

const db = testDb();
const masterKeys = parseMasterKeys(`rot:${randomBytes(32).toString("base64")}`);
const DAY = 86_400_000;

const keysOf = (tenantId: string) =>
  db.tenantDataKey.findMany({
    where: { tenantId },
    orderBy: { createdAt: "asc" },
    select: { id: true, active: true, retiredAt: true, sealCount: true, destroyedAt: true },
  });

const rotations = (tenantId: string) =>
  db.auditEvent.findMany({ where: { tenantId, action: "crypto.data_key.rotate" }, select: { metadata: true } });

describe("data key rotation", () => {
  it("replaces a key past its age once, however many processes find it worn; the old key still opens what it sealed", async () => {
    const tenant = await createTestTenant(db);
    const old = await new TenantKeyring(db, masterKeys).seal(tenant.id, Buffer.from("sealed long ago"), "req_1:input");
    await db.tenantDataKey.updateMany({
      where: { tenantId: tenant.id },
      data: { createdAt: new Date(Date.now() - 31 * DAY) },
    });

    const keyrings = Array.from({ length: 5 }, () => new TenantKeyring(db, masterKeys, { maxAgeMs: 30 * DAY }));
    const active = await Promise.all(keyrings.map((keyring) => keyring.activeKey(tenant.id)));
    expect(new Set(active.map((key) => key.id)).size).toBe(1);
    const [retired, current] = await keysOf(tenant.id);
    expect(retired).toMatchObject({ id: sealedKeyId(old), active: false, destroyedAt: null });
    expect(retired?.retiredAt).not.toBeNull();
    expect(current).toMatchObject({ id: active[0]?.id, active: true, retiredAt: null });
    expect(await rotations(tenant.id)).toEqual([{ metadata: { retired: retired?.id, reason: "age", sealCount: "0" } }]);

    const keyring = keyrings[0] ?? new TenantKeyring(db, masterKeys);
    expect((await keyring.open(tenant.id, old, "req_1:input")).toString()).toBe("sealed long ago");
    expect(sealedKeyId(await keyring.seal(tenant.id, Buffer.from("new"), "req_2:input"))).toBe(current?.id);
  });

  it("replaces a key that sealed its limit, counted across processes; a process holding it moves on at its next report", async () => {
    const tenant = await createTestTenant(db);
    const [a, b] = [0, 1].map(() => new TenantKeyring(db, masterKeys, { maxSeals: 10 }));
    if (!a || !b) throw new Error("two keyrings");
    const first = (await a.activeKey(tenant.id)).id;
    const sealA = await a.sealer(tenant.id);
    const sealB = await b.sealer(tenant.id);
    for (let i = 0; i < 6; i += 1) sealA(Buffer.from(`a${i}`), `req_a:${i}`);
    for (let i = 0; i < 4; i += 1) sealB(Buffer.from(`b${i}`), `req_b:${i}`);
    expect(await a.reportSeals()).toBe(0);
    expect(await b.reportSeals()).toBe(1);
    expect((await keysOf(tenant.id))[0]?.sealCount).toBe(10n);

    // b dropped the worn key: its next seal replaces it; a still holds it until its next report.
    const second = sealedKeyId(await b.seal(tenant.id, Buffer.from("next"), "req_b:next"));
    expect(second).not.toBe(first);
    expect(sealedKeyId(await a.seal(tenant.id, Buffer.from("late"), "req_a:late"))).toBe(first);
    expect(await a.reportSeals()).toBe(1);
    expect(sealedKeyId(await a.seal(tenant.id, Buffer.from("moved"), "req_a:moved"))).toBe(second);
    expect(await rotations(tenant.id)).toEqual([{ metadata: { retired: first, reason: "use", sealCount: "10" } }]);
    expect((await keysOf(tenant.id)).map((key) => [key.id, key.active])).toEqual([
      [first, false],
      [second, true],
    ]);
  });

  it("keeps counts it could not report for the next report", async () => {
    const outage = await startPostgresOutage();
    const proxied = createPrismaClient({ databaseUrl: outage.databaseUrl, maxConnections: 2, role: "platform" });
    try {
      const tenant = await createTestTenant(db);
      const keyring = new TenantKeyring(proxied, masterKeys);
      const seal = await keyring.sealer(tenant.id);
      for (let i = 0; i < 3; i += 1) seal(Buffer.from("x"), `req:${i}`);
      outage.cut();
      await expect(keyring.reportSeals()).rejects.toThrow();
      seal(Buffer.from("x"), "req:3");
      outage.restore();
      await keyring.reportSeals();
      expect((await keysOf(tenant.id))[0]?.sealCount).toBe(4n);
    } finally {
      await proxied.$disconnect();
      await outage.close();
    }
  });

  it("rotates on demand (audited), and says when a tenant has no key yet", async () => {
    const tenant = await createTestTenant(db);
    expect(
      await db.$transaction((tx) => rotateDataKey({ tenantId: tenant.id }, testContext, masterKeys.current, tx)),
    ).toBeNull();
    const keyring = new TenantKeyring(db, masterKeys);
    const sealed = await keyring.seal(tenant.id, Buffer.from("before"), "c");
    const rotated = await db.$transaction((tx) =>
      rotateDataKey({ tenantId: tenant.id }, testContext, masterKeys.current, tx),
    );
    expect(rotated?.retired).toBe(sealedKeyId(sealed));
    expect(await rotations(tenant.id)).toEqual([
      { metadata: { retired: rotated?.retired, reason: "forced", sealCount: "0" } },
    ]);
    // A process that forgot its cached keys (the CLI tells them) seals with the new one and opens the old.
    keyring.forget(tenant.id);
    expect(sealedKeyId(await keyring.seal(tenant.id, Buffer.from("after"), "c"))).toBe(rotated?.active);
    expect((await keyring.open(tenant.id, sealed, "c")).toString()).toBe("before");
  });

  it("destroys a retired key once retention has removed what it sealed and two days have passed, never an active one", async () => {
    const tenant = await createTestTenant(db);
    const keyring = new TenantKeyring(db, masterKeys);
    const retiredId = (await keyring.activeKey(tenant.id)).id;
    const requestId = await createStoredRequest(db, {
      tenantId: tenant.id,
      promptCiphertext: await keyring.seal(tenant.id, Buffer.from("kept 30 days"), "p"),
      dataKeyId: retiredId,
      purgeAfter: new Date(Date.now() + 3 * DAY),
    });
    await db.$transaction((tx) => rotateDataKey({ tenantId: tenant.id }, testContext, masterKeys.current, tx));
    const destroyed = async () => {
      await destroyRetiredDataKeys(db);
      return (await keysOf(tenant.id)).map((key) => key.destroyedAt !== null);
    };
    // Too soon, and a stored prompt still needs it.
    expect(await destroyed()).toEqual([false, false]);
    await db.tenantDataKey.update({ where: { id: retiredId }, data: { retiredAt: new Date(Date.now() - 3 * DAY) } });
    expect(await destroyed()).toEqual([false, false]);
    // Retention clears the prompt (as the purge does when purge_after passes).
    await db.request.update({ where: { id: requestId }, data: { promptCiphertext: null, purgeAfter: null } });
    expect(await destroyed()).toEqual([true, false]);
    const row = await db.tenantDataKey.findUniqueOrThrow({ where: { id: retiredId }, select: { wrappedKey: true } });
    expect(row.wrappedKey.length).toBe(0);
  });
});
