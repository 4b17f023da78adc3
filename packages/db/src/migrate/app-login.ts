import pg from "pg";
import { quoteIdentifier } from "../database-url.ts";

/** The group role the application's login is a member of (migration 20261205101500_database_roles_and_rls). */
export const APP_ROLE = "aiaas_app";

export interface AppLoginReport {
  user: string;
  created: boolean;
}

/**
 * Makes the user of `appUrl` (what the apps connect as) a login member of
 * `aiaas_app`, with the password `appUrl` carries, connecting as the owner
 * (`ownerUrl`, who ran the migrations and may create roles). Creates the
 * login if it is missing; otherwise sets its password and membership again,
 * so a password changed in the configuration takes effect (and refuses a
 * user that is a superuser or bypasses row-level security). Returns null
 * when both URLs name the same user: there is no separate login to make.
 */
export async function ensureAppLogin(ownerUrl: string, appUrl: string): Promise<AppLoginReport | null> {
  const app = new URL(appUrl);
  const user = decodeURIComponent(app.username);
  if (!user || user === decodeURIComponent(new URL(ownerUrl).username)) return null;
  const password = app.password ? decodeURIComponent(app.password) : null;
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    // Roles are the server's: one creator at a time.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('aiaas-app-login'))");
    const { rows: existing } = await client.query<{ powerful: boolean }>(
      "SELECT rolsuper OR rolbypassrls AS powerful FROM pg_roles WHERE rolname = $1",
      [user],
    );
    if (existing[0]?.powerful) {
      throw new Error(
        `the apps' user ${user} (DATABASE_URL) is a superuser or bypasses row-level security: give the apps a login of their own`,
      );
    }
    const created = existing.length === 0;
    const login = created ? "CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS" : "ALTER ROLE %I LOGIN";
    // DDL takes no parameters: format() quotes the name (%I) and the password (%L) inside Postgres.
    const { rows } = await client.query<{ sql: string }>(
      `SELECT format('${login}' || CASE WHEN $2::text IS NULL THEN '' ELSE ' PASSWORD %L' END, $1::text, $2::text) AS sql`,
      [user, password],
    );
    await client.query(rows[0]?.sql ?? "");
    await client.query(`GRANT ${APP_ROLE} TO ${quoteIdentifier(user)}`);
    await client.query("COMMIT");
    return { user, created };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
