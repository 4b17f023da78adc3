import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { startAppProcess } from "../testing/app-process.ts";
import { createTestTenant, testDb } from "../testing/fixtures.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { checkMasterKeys } from "./master-key-check.ts";
import { parseMasterKeys } from "./master-keys.ts";
import { TenantKeyring } from "./tenant-keyring.ts";

const db = testDb();
const masterKey = () => {
  const id = `mkc${randomBytes(4).toString("hex")}`;
  return { id, entry: (secret = randomBytes(32)) => `${id}:${secret.toString("base64")}` };
};

/** A tenant whose data key the given master keys wrapped. */
async function tenantWrappedWith(masterKeys: string) {
  const tenant = await createTestTenant(db, "mkc");
  await new TenantKeyring(db, parseMasterKeys(masterKeys)).activeKey(tenant.id);
  return tenant;
}

describe("the master keys' canaries", () => {
  it("names a configured key with another secret, and a key that is not configured", async () => {
    const [kept, replaced, dropped] = [masterKey(), masterKey(), masterKey()];
    const keptEntry = kept.entry();
    await tenantWrappedWith(keptEntry);
    await tenantWrappedWith(replaced.entry());
    await tenantWrappedWith(replaced.entry(Buffer.alloc(32, 1)));
    await tenantWrappedWith(dropped.entry());
    const report = await checkMasterKeys(db, parseMasterKeys(`${replaced.entry(Buffer.alloc(32, 2))},${keptEntry}`));
    const ours = (entries: { id: string }[]) =>
      entries.filter(({ id }) => [kept.id, replaced.id, dropped.id].includes(id));
    expect(ours(report.mismatched)).toEqual([{ id: replaced.id, dataKeys: 2 }]);
    expect(ours(report.missing)).toEqual([{ id: dropped.id, dataKeys: 1 }]);
  });

  it.each(["gateway", "worker"] as const)(
    "stops the %s at start, naming the key, when its secret is not the one that wrote the data",
    async (app) => {
      const key = masterKey();
      await tenantWrappedWith(key.entry());
      const env = {
        DATABASE_URL: testDatabaseUrl(),
        REDIS_URL: testRedisUrl(),
        MASTER_KEYS: key.entry(),
        API_KEY_PEPPER: "p".repeat(32),
        QUEUE_PREFIX: key.id,
        WORKER_MODELS: "echo",
      };
      await expect(startAppProcess(app, env, { timeoutMs: 30_000 })).rejects.toThrow(
        new RegExp(
          `MASTER_KEYS does not open this database's data: master key '${key.id}' \\(1 tenant data key\\) has the id of the key that wrapped them but another secret`,
        ),
      );
    },
    60_000,
  );
});
