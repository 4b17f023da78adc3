import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { createRedis } from "../redis/create-redis.ts";
import { setTenantStatus } from "../tenants/set-tenant-status.ts";
import { createTestTenant, testContext, testDb, testPepper, testRedisUrl } from "../testing/index.ts";
import { generateApiKey } from "./api-key-format.ts";
import { ApiKeyVerifier } from "./api-key-verifier.ts";
import { authCacheKeys, invalidateAuthCache } from "./auth-cache.ts";
import { createApiKey } from "./create-api-key.ts";
import { revokeApiKey } from "./revoke-api-key.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "verifier-test");
const subscriber = createRedis(testRedisUrl(), "consumer", "verifier-test-sub");
const verifier = new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper });
const keyContext = { ...testContext, pepper: testPepper };

beforeAll(async () => {
  await Promise.all([redis.connect(), subscriber.connect()]);
  await verifier.start();
});
afterAll(async () => {
  redis.disconnect();
  subscriber.disconnect();
  await db.$disconnect();
});

async function newKey(options: { expiresAt?: Date } = {}) {
  const tenant = await createTestTenant(db, "verify");
  const created = await db.$transaction((tx) =>
    createApiKey({ tenantId: tenant.id, name: "v", ...options }, keyContext, tx),
  );
  return { tenant, ...created };
}

describe("ApiKeyVerifier", () => {
  it("accepts an active key and returns its tenant, scopes and limits", async () => {
    const { tenant, apiKey, secret } = await newKey();
    const result = await verifier.verify(secret);
    expect(result).toMatchObject({
      ok: true,
      key: { id: apiKey.id, tenantId: tenant.id, scopes: [], environment: "live" },
    });
    // second call: same answer from memory
    expect(await verifier.verify(secret)).toEqual(result);
  });

  it("refuses a well-formed key it does not know", async () => {
    expect(await verifier.verify(generateApiKey("live").secret)).toEqual({ ok: false, reason: "unknown", key: null });
  });

  it("remembers for every verifier a key Postgres did not know; asks `beforeDatabase` before each real lookup", async () => {
    const { secret } = generateApiKey("live");
    const lookups: string[] = [];
    const gate = { beforeDatabase: async () => void lookups.push("db") };
    const first = new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper });
    expect(await first.verify(secret, Date.now(), gate)).toMatchObject({ reason: "unknown" });
    // Another process, its memory empty: Redis remembers the hash was unknown.
    const second = new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper });
    expect(await second.verify(secret, Date.now(), gate)).toMatchObject({ reason: "unknown" });
    expect(lookups).toEqual(["db"]);
    // A gate that refuses stops the lookup: its error is the answer.
    const refused = new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper });
    const refusal = new Error("over the limit");
    await expect(
      refused.verify(generateApiKey("live").secret, Date.now(), { beforeDatabase: () => Promise.reject(refusal) }),
    ).rejects.toBe(refusal);
  });

  it("refuses a key whose cached tenant status was altered in Redis", async () => {
    const { tenant, secret } = await newKey();
    expect((await verifier.verify(secret)).ok).toBe(true);
    const name = authCacheKeys.tenantStatus(tenant.id);
    const sealed = (await redis.get(name)) ?? "";
    expect(sealed).toMatch(/^[\w-]+\.active$/);
    // Sealed values are bound to their name: another tenant's "active" does not fit here either.
    await redis.set(name, "forged.active", "KEEPTTL");
    const fresh = new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper });
    expect(await fresh.verify(secret)).toMatchObject({ ok: false, reason: "tampered" });
    await redis.set(name, sealed, "KEEPTTL");
    expect((await new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper }).verify(secret)).ok).toBe(true);
  });

  it("refuses an expired key", async () => {
    const { secret } = await newKey({ expiresAt: new Date(Date.now() + 60_000) });
    expect((await verifier.verify(secret)).ok).toBe(true);
    expect(await verifier.verify(secret, Date.now() + 61_000)).toMatchObject({ ok: false, reason: "expired" });
  });

  it("refuses a suspended tenant's keys as soon as the suspension is pushed", async () => {
    const { tenant, secret } = await newKey();
    expect((await verifier.verify(secret)).ok).toBe(true);
    await db.$transaction((tx) => setTenantStatus({ tenant: tenant.id, status: "suspended" }, testContext, tx));
    await invalidateAuthCache(redis, { tenantId: tenant.id });
    await expect
      .poll(async () => ((await verifier.verify(secret)).ok ? "ok" : "denied"), { timeout: 1000 })
      .toBe("denied");
    expect(await verifier.verify(secret)).toMatchObject({ ok: false, reason: "tenant_suspended" });
  });

  it("keeps working from Postgres when Redis is unreachable", async () => {
    const { secret } = await newKey();
    const down = createRedis("redis://127.0.0.1:1", "producer", "down");
    down.on("error", () => {});
    down.connect().catch(() => {});
    const isolated = new ApiKeyVerifier({ db, redis: down, subscriber, pepper: testPepper });
    try {
      expect((await isolated.verify(secret)).ok).toBe(true);
    } finally {
      down.disconnect();
    }
  });

  it("a revoked key fails verification in another process at once, not when its cache expires", async () => {
    const { tenant, apiKey, secret } = await newKey();
    const loop = fileURLToPath(new URL("../testing/verify-key-loop.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", loop, testDatabaseUrl(), testRedisUrl(), testPepper, secret],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    try {
      expect((await lines.next()).value).toBe("ok");
      const revoked = await db.$transaction((tx) =>
        revokeApiKey({ tenantId: tenant.id, keyId: apiKey.id }, testContext, tx),
      );
      const revokedAt = Date.now();
      await invalidateAuthCache(redis, { keyHash: revoked.keyHash });
      const denied = String((await lines.next()).value).split(" ");
      expect(denied.slice(0, 2)).toEqual(["denied", "revoked"]);
      // Long before its 60 s cache would have let go of the key: the revocation was pushed (within
      // milliseconds as a rule; the bound leaves a slow machine room).
      expect(Number(denied[2]) - revokedAt).toBeLessThan(10_000);
    } finally {
      child.kill();
    }
  });
});
