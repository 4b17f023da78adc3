import { randomBytes } from "node:crypto";
import pg from "pg";
import { quoteIdentifier, withDatabaseName } from "../database-url.ts";
import { testOwnerDatabaseUrl } from "./test-database-url.ts";

/**
 * Runs `use` with the URL of a new, empty database on the test server (as
 * its owner) and drops it afterwards, whatever happens, with the apps' login
 * that `npm start` or `migrate` may have made for it.
 */
export async function withTemporaryDatabase<T>(use: (databaseUrl: string) => Promise<T>): Promise<T> {
  const database = `aiaas_tmp_${randomBytes(6).toString("hex")}`;
  const quoted = quoteIdentifier(database);
  const admin = new pg.Client({ connectionString: withDatabaseName(testOwnerDatabaseUrl(), "postgres") });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoted}`);
    return await use(withDatabaseName(testOwnerDatabaseUrl(), database));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${quoteIdentifier(`${database}_app_login`)}`);
    await admin.end();
  }
}
