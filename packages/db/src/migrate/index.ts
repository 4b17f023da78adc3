import pg from "pg";
import { writeMigration } from "./migrations-dir.ts";
import { openSchemaEngine, type OpenSchemaEngineOptions, type SchemaEngineHandle } from "./schema-engine.ts";

export { APP_ROLE, ensureAppLogin, type AppLoginReport } from "./app-login.ts";
export { pendingMigrations } from "./pending-migrations.ts";
export {
  openSchemaEngine,
  type DiffSide,
  type SchemaEngineHandle,
  type OpenSchemaEngineOptions,
} from "./schema-engine.ts";

/**
 * Offline stand-in for `prisma migrate deploy / dev --create-only / diff`, built on the wasm schema
 * engine and @prisma/adapter-pg. Migrations keep the standard prisma/migrations layout, so the real
 * CLI works on the same folder where it can download its engine.
 */

export interface ApplyPendingMigrationsOptions {
  databaseUrl: string;
  schemaPath: string;
  migrationsDir: string;
}

/** `prisma migrate deploy`: applies the pending migrations and records them in `_prisma_migrations`. */
export async function applyPendingMigrations({
  databaseUrl,
  schemaPath,
  migrationsDir,
}: ApplyPendingMigrationsOptions): Promise<{ applied: string[] }> {
  return withEngine({ databaseUrl, schemaPath }, async (engine) => ({
    applied: await engine.applyMigrations(migrationsDir),
  }));
}

export interface CreateMigrationOptions {
  name: string;
  schemaPath: string;
  migrationsDir: string;
  /** Only used to reach the Postgres server, which hosts the temporary database; it is not read or changed. */
  databaseUrl: string;
}

/**
 * `prisma migrate dev --create-only`: writes <migrationsDir>/<timestamp>_<name>/migration.sql with the
 * SQL from the state the existing migrations produce to schema.prisma; null when there is no change.
 *
 * The "from" state comes from replaying the migrations into a temporary database
 * `<db>_migration_tmp_<random>` on the same server (the engine's shadow database; see
 * adapter-factory.ts), which is dropped afterwards. Unlike a saved schema snapshot, this stays
 * right when a migration.sql was edited by hand (custom SQL, data fixes), exactly as
 * `prisma migrate dev` does. It needs the CREATEDB privilege.
 */
export async function createMigration({
  name,
  schemaPath,
  migrationsDir,
  databaseUrl,
}: CreateMigrationOptions): Promise<{ dir: string; sql: string } | null> {
  const sql = await withEngine({ databaseUrl, schemaPath }, (engine) =>
    engine.diffSchemaToSql({
      from: { kind: "migrations", migrationsDir },
      to: { kind: "schema", schemaPath },
    }),
  );
  if (!sql) return null;
  return { dir: await writeMigration(migrationsDir, name, sql), sql };
}

/** SQL the live database needs to match schema.prisma (`prisma migrate diff`); "" when there is no drift. */
export async function checkDrift({ databaseUrl, schemaPath }: OpenSchemaEngineOptions): Promise<string> {
  return withEngine({ databaseUrl, schemaPath }, (engine) => engine.diffDatabaseToSchema());
}

/**
 * Connects once with pg before starting the engine: the engine reports an
 * unreachable server as a bare message, pg as an error with a code
 * (ECONNREFUSED, 28P01…) that callers can explain.
 */
async function assertReachable(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => {});
  }
}

async function withEngine<T>(
  options: OpenSchemaEngineOptions,
  use: (engine: SchemaEngineHandle) => Promise<T>,
): Promise<T> {
  await assertReachable(options.databaseUrl);
  const engine = await openSchemaEngine(options);
  try {
    return await use(engine);
  } finally {
    await engine.close();
  }
}
