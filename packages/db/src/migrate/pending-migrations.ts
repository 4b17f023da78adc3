import { readdir } from "node:fs/promises";
import pg from "pg";

/**
 * The migrations of `migrationsDir` that the database has not finished
 * applying (none recorded, or recorded failed or rolled back), in order. Any
 * login that can read `_prisma_migrations` may ask (the apps' own does); a
 * database never migrated has every migration pending.
 */
export async function pendingMigrations(databaseUrl: string, migrationsDir: string): Promise<string[]> {
  const folders = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>(
      "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists",
    );
    if (!rows[0]?.exists) return folders;
    const applied = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    return folders.filter((folder) => !done.has(folder));
  } finally {
    await client.end();
  }
}
