import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { testOwnerDatabaseUrl } from "../testing/test-database-url.ts";
import { withTemporaryDatabase } from "../testing/temporary-database.ts";
import { ensureAppLogin } from "./app-login.ts";
import { applyPendingMigrations } from "./index.ts";

const repo = new URL("../../../../", import.meta.url).pathname;

/** `ownerUrl` with another user and password. */
const as = (ownerUrl: string, user: string, password: string) =>
  Object.assign(new URL(ownerUrl), { username: user, password }).toString();

async function whoAmI(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string; superuser: boolean; app: boolean }>(
      `SELECT current_user AS user, r.rolsuper AS superuser, pg_has_role(current_user, 'aiaas_app', 'member') AS app
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

describe("ensureAppLogin", () => {
  it("makes DATABASE_URL's user a login of the application role once, and again without harm", async () => {
    await withTemporaryDatabase(async (ownerUrl) => {
      await applyPendingMigrations({
        databaseUrl: ownerUrl,
        schemaPath: `${repo}prisma/schema.prisma`,
        migrationsDir: `${repo}prisma/migrations`,
      });
      const database = new URL(ownerUrl).pathname.slice(1);
      const appUrl = as(ownerUrl, `${database}_app_login`, randomBytes(9).toString("hex"));
      expect(await ensureAppLogin(ownerUrl, appUrl)).toEqual({ user: `${database}_app_login`, created: true });
      expect(await ensureAppLogin(ownerUrl, appUrl)).toEqual({ user: `${database}_app_login`, created: false });
      expect(await whoAmI(appUrl)).toEqual({ user: `${database}_app_login`, superuser: false, app: true });
      // The same user for both: nothing to make.
      expect(await ensureAppLogin(ownerUrl, ownerUrl)).toBeNull();
    });
  }, 120_000);

  it("refuses to make the apps' login of a user that bypasses row-level security", async () => {
    const owner = testOwnerDatabaseUrl();
    const name = `aiaas_probe_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: owner });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${name} LOGIN BYPASSRLS`);
      await expect(ensureAppLogin(owner, as(owner, name, "x"))).rejects.toThrow(
        `the apps' user ${name} (DATABASE_URL) is a superuser or bypasses row-level security`,
      );
      const { rows } = await admin.query("SELECT pg_has_role($1, 'aiaas_app', 'member') AS member", [name]);
      expect(rows).toEqual([{ member: false }]);
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${name}`);
      await admin.end();
    }
  });
});
