import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createPrismaClient } from "@aiaas/db";
import { startPostgresOutage } from "@aiaas/db/testing";
import { createTestTenant, testDb } from "../testing/fixtures.ts";
import { parseMasterKeys } from "./master-keys.ts";
import { TenantKeyring } from "./tenant-keyring.ts";

const db = testDb();
const masterKeys = parseMasterKeys(`mk1:${randomBytes(32).toString("base64")}`);

describe("TenantKeyring", () => {
  it("creates one data key per tenant under concurrency, stored wrapped", async () => {
    const tenant = await createTestTenant(db);
    const keyrings = Array.from({ length: 5 }, () => new TenantKeyring(db, masterKeys));
    const keys = await Promise.all(keyrings.map((keyring) => keyring.activeKey(tenant.id)));
    expect(new Set(keys.map((key) => key.id)).size).toBe(1);
    const rows = await db.tenantDataKey.findMany({
      where: { tenantId: tenant.id },
      select: { wrappedKey: true, masterKeyId: true },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.masterKeyId).toBe("mk1");
    expect(Buffer.from(rows[0]?.wrappedKey ?? []).includes(keys[0]?.key ?? Buffer.alloc(1))).toBe(false);
  });

  it("opens in another process's keyring, and never with another tenant's key", async () => {
    const [a, b] = [await createTestTenant(db), await createTestTenant(db)];
    const sealed = await new TenantKeyring(db, masterKeys).seal(a.id, Buffer.from("canary"), "req_1:input");
    expect((await new TenantKeyring(db, masterKeys).open(a.id, sealed, "req_1:input")).toString()).toBe("canary");
    await expect(new TenantKeyring(db, masterKeys).open(b.id, sealed, "req_1:input")).rejects.toThrow(
      /is not a live key of this tenant/,
    );
    await expect(new TenantKeyring(db, masterKeys).open(a.id, sealed, "req_2:input")).rejects.toThrow(/does not open/);
  });

  it("needs the master key that wrapped the data key", async () => {
    const tenant = await createTestTenant(db);
    const sealed = await new TenantKeyring(db, masterKeys).seal(tenant.id, Buffer.from("x"), "c");
    const otherMaster = parseMasterKeys(`mk9:${randomBytes(32).toString("base64")}`);
    await expect(new TenantKeyring(db, otherMaster).open(tenant.id, sealed, "c")).rejects.toThrow(
      /master key mk1 .* is not configured/,
    );
  });

  it("seals and opens with the keys it holds while Postgres is out of reach, past their cache lifetime", async () => {
    const outage = await startPostgresOutage();
    const proxied = createPrismaClient({ databaseUrl: outage.databaseUrl, maxConnections: 2, role: "platform" });
    try {
      const [tenant, other] = [await createTestTenant(db), await createTestTenant(db)];
      const keyring = new TenantKeyring(proxied, masterKeys, { cacheTtlMs: 1 });
      const before = await keyring.seal(tenant.id, Buffer.from("before"), "req_1:input");
      outage.cut();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const during = await keyring.seal(tenant.id, Buffer.from("during"), "req_2:input");
      expect((await keyring.open(tenant.id, before, "req_1:input")).toString()).toBe("before");
      expect((await keyring.open(tenant.id, during, "req_2:input")).toString()).toBe("during");
      // A tenant it never held a key for cannot be served until Postgres is back.
      await expect(keyring.activeKey(other.id)).rejects.toThrow();
      outage.restore();
      const { id } = await keyring.activeKey(other.id);
      expect(await db.tenantDataKey.count({ where: { id, tenantId: other.id } })).toBe(1);
    } finally {
      await proxied.$disconnect();
      await outage.close();
    }
  });
});
