import { afterAll, describe, expect, it } from "vitest";
import { createTestTenant, testContext, testDb, testPepper } from "../testing/index.ts";
import { hashApiKey } from "./api-key-hash.ts";
import { createApiKey } from "./create-api-key.ts";
import { listApiKeys } from "./list-api-keys.ts";
import { revokeApiKey } from "./revoke-api-key.ts";

const db = testDb();
afterAll(() => db.$disconnect());
const ctx = { ...testContext, pepper: testPepper };

describe("API keys", () => {
  it("are stored as a keyed hash with a display prefix, never in clear", async () => {
    const tenant = await createTestTenant(db, "keys");
    const { apiKey, secret } = await db.$transaction((tx) =>
      createApiKey({ tenantId: tenant.id, name: "ci" }, ctx, tx),
    );
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id }, omit: { keyHash: false } });
    expect(stored.keyHash).toBe(hashApiKey(secret, testPepper));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(secret.startsWith(stored.prefix)).toBe(true);
    expect(secret.endsWith(stored.last4)).toBe(true);
    // secret columns are left out unless asked for
    expect(apiKey).not.toHaveProperty("keyHash");
  });

  it("are listed and revoked within their tenant only", async () => {
    const mine = await createTestTenant(db, "mine");
    const other = await createTestTenant(db, "other");
    const { apiKey } = await db.$transaction((tx) => createApiKey({ tenantId: mine.id, name: "mine" }, ctx, tx));

    expect(await listApiKeys({ tenantId: other.id }, db)).toEqual([]);
    await expect(
      db.$transaction((tx) => revokeApiKey({ tenantId: other.id, keyId: apiKey.id }, testContext, tx)),
    ).rejects.toThrow(/not found/);

    await db.$transaction((tx) => revokeApiKey({ tenantId: mine.id, keyId: apiKey.id }, testContext, tx));
    const [listed] = await listApiKeys({ tenantId: mine.id }, db);
    expect(listed?.status).toBe("revoked");
    expect(
      await db.auditEvent.count({ where: { tenantId: mine.id, action: "api_key.revoke", targetId: apiKey.id } }),
    ).toBe(1);
  });

  it("refuse an expiry in the past", async () => {
    const tenant = await createTestTenant(db, "expiry");
    await expect(
      db.$transaction((tx) =>
        createApiKey({ tenantId: tenant.id, name: "old", expiresAt: new Date(Date.now() - 1000) }, ctx, tx),
      ),
    ).rejects.toThrow("expiry must be in the future");
  });
});
