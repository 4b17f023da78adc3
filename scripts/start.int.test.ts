import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { createTestTenant } from "@aiaas/core/testing";
import { createPrismaClient } from "@aiaas/db";
import { withTemporaryDatabase } from "@aiaas/db/testing";

const start = fileURLToPath(new URL("./start.mjs", import.meta.url));
const cli = fileURLToPath(new URL("./aiaas.mjs", import.meta.url));

async function npmStart(env: Record<string, string>) {
  try {
    await promisify(execFile)(process.execPath, [start], {
      env: { PATH: process.env.PATH, NO_COLOR: "1", ...env },
      timeout: 60_000,
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const key = () => randomBytes(32).toString("base64");

describe("npm start", () => {
  it("stops with one clear line when DATABASE_URL points at a closed port", async () => {
    const result = await npmStart({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/aiaas",
      CONSOLE_PORT: "3290",
      GATEWAY_PORT: "3291",
      GATEWAY_INTERNAL_PORT: "3298",
      WORKER_PORT: "3292",
      SMTP_PORT: "3296",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "✗ cannot reach Postgres at 127.0.0.1:1 (from DATABASE_URL): nothing is listening there\n",
    );
  });

  it("names a port that is taken and the variable that moves it", async () => {
    const result = await npmStart({ CONSOLE_PORT: "not-a-port" });
    expect(result).toMatchObject({ code: 1, stderr: "✗ CONSOLE_PORT must be a port number (1-65535)\n" });
  });

  it("stops before seeding on a database made with other local secrets, saying how to reuse them or start afresh", async () => {
    await withTemporaryDatabase(async (databaseUrl) => {
      // Another checkout made it: its .data/local.env held another master key under the same id.
      await promisify(execFile)(process.execPath, [cli, "migrate"], {
        env: { PATH: process.env.PATH, AIAAS_ENV_FILE: "/nonexistent", DATABASE_URL: databaseUrl },
      });
      const db = createPrismaClient({ databaseUrl, maxConnections: 1 });
      try {
        const tenant = await createTestTenant(db, "other-checkout");
        await new TenantKeyring(db, parseMasterKeys(`local1:${key()}`)).activeKey(tenant.id);
      } finally {
        await db.$disconnect();
      }
      const dataDir = mkdtempSync(join(tmpdir(), "aiaas-data-"));
      writeFileSync(join(dataDir, "local.env"), `MASTER_KEYS="local1:${key()}"\n`);
      const result = await npmStart({
        AIAAS_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? "",
        CONSOLE_PORT: "3293",
        GATEWAY_PORT: "3294",
        GATEWAY_INTERNAL_PORT: "3299",
        WORKER_PORT: "3295",
        SMTP_PORT: "3297",
      });
      expect(result.code).toBe(1);
      const database = new URL(databaseUrl).pathname.slice(1);
      expect(result.stderr).toContain(
        "aiaas: MASTER_KEYS does not open this database's data: master key 'local1' (1 tenant data key) has the id of the key that wrapped them but another secret",
      );
      expect(result.stderr).toMatch(
        new RegExp(
          `✗ the database ${database} on [^ ]+ was made with other local secrets than .*local\\.env \\(above: what does not open\\)\\. To reuse it, copy MASTER_KEYS and API_KEY_PEPPER from the .*local\\.env of the checkout that made it into this one; to start afresh, drop it \\(dropdb -h [^ ]+ -U postgres ${database}\\) or set DATABASE_URL to another database\\.`,
        ),
      );
    });
  }, 120_000);
});
