import { randomBytes } from "node:crypto";
import pg from "pg";
import { quoteIdentifier, withDatabaseName } from "../database-url.ts";
import { testDatabaseUrl } from "./test-database-url.ts";

/**
 * Runs `use` with the URL of a new, empty database on the test server and
 * drops it afterwards, whatever happens.
 */
export async function withTemporaryDatabase<T>(use: (databaseUrl: string) => Promise<T>): Promise<T> {
  const database = `aiaas_tmp_${randomBytes(6).toString("hex")}`;
  const quoted = quoteIdentifier(database);
  const admin = new pg.Client({ connectionString: withDatabaseName(testDatabaseUrl(), "postgres") });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoted}`);
    return await use(withDatabaseName(testDatabaseUrl(), database));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await admin.end();
  }
}
