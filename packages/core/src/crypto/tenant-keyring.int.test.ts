import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
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
});
