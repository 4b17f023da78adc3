import { join, resolve } from "node:path";
import { createMigration } from "./index.ts";

// Usage: DATABASE_URL=postgresql://... tsx packages/db/src/migrate/create-migration-cli.ts <name>
// (DATABASE_OWNER_URL, where set, is used instead: the temporary database needs CREATEDB.)
// Paths are those of the repository: prisma/schema.prisma and prisma/migrations.
const repoRoot = resolve(import.meta.dirname, "../../../..");
const name = process.argv[2];
const databaseUrl = process.env["DATABASE_OWNER_URL"] ?? process.env["DATABASE_URL"];

if (!name || process.argv.length > 3) fail("Usage: create-migration-cli.ts <name>");
if (!databaseUrl)
  fail("DATABASE_URL is not set: it must point at a Postgres server where a temporary database can be created.");

try {
  const created = await createMigration({
    name,
    databaseUrl,
    schemaPath: join(repoRoot, "prisma/schema.prisma"),
    migrationsDir: join(repoRoot, "prisma/migrations"),
  });
  console.log(created ? created.dir : "No schema changes.");
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
