import type { Command } from "commander";
import { applyPendingMigrations } from "@aiaas/db/migrate";
import type { CliContext } from "../context.ts";
import { paths } from "../paths.ts";
import { printResult, type OutputOptions } from "../output.ts";

export function registerMigrateCommand(program: Command, context: () => CliContext) {
  program
    .command("migrate")
    .description("apply pending database migrations (offline; same folder as `prisma migrate deploy`)")
    .action(async (_options, command: Command) => {
      const { env } = context();
      const { applied } = await applyPendingMigrations({
        databaseUrl: env.DATABASE_URL,
        schemaPath: paths.schema,
        migrationsDir: paths.migrations,
      });
      const message = applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(", ")}`
        : "Database is up to date.";
      printResult(message, { applied }, command.optsWithGlobals<OutputOptions>());
    });
}
