import type { Command } from "commander";
import { applyPendingMigrations, APP_ROLE, ensureAppLogin } from "@aiaas/db/migrate";
import type { CliContext } from "../context.ts";
import { paths } from "../paths.ts";
import { printResult, type OutputOptions } from "../output.ts";

export function registerMigrateCommand(program: Command, context: () => CliContext) {
  program
    .command("migrate")
    .description(
      "apply pending database migrations (offline; same folder as `prisma migrate deploy`); with DATABASE_OWNER_URL, as the owner, then make DATABASE_URL's user the apps' login",
    )
    .action(async (_options, command: Command) => {
      const { env } = context();
      const owner = env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
      const { applied } = await applyPendingMigrations({
        databaseUrl: owner,
        schemaPath: paths.schema,
        migrationsDir: paths.migrations,
      });
      const login = await ensureAppLogin(owner, env.DATABASE_URL);
      const lines = [
        applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.",
        ...(login
          ? [`The apps connect as ${login.user}, a login of ${APP_ROLE}${login.created ? " (made now)" : ""}.`]
          : []),
      ];
      printResult(lines.join("\n"), { applied, appLogin: login }, command.optsWithGlobals<OutputOptions>());
    });
}
