import type { Command } from "commander";
import { applyPendingMigrations, APP_ROLE, ensureAppLogin, pendingMigrations } from "@aiaas/db/migrate";
import { UsageError } from "../cli-error.ts";
import type { CliContext } from "../context.ts";
import { paths } from "../paths.ts";
import { printResult, type OutputOptions } from "../output.ts";

export function registerMigrateCommand(program: Command, context: () => CliContext) {
  program
    .command("migrate")
    .description(
      "apply pending database migrations (offline; same folder as `prisma migrate deploy`); with DATABASE_OWNER_URL, as the owner, then make DATABASE_URL's user the apps' login",
    )
    .option("--check", "apply nothing: exit 0 when every migration is applied, else 1 naming the pending ones")
    .option("--wait <seconds>", "with --check: wait this long for another process (a deployment's job) to apply them")
    .action(async (options: { check?: boolean; wait?: string }, command: Command) => {
      const { env } = context();
      if (options.check) return checkMigrations(env.DATABASE_URL, options.wait, command);
      if (options.wait !== undefined) throw new UsageError("--wait goes with --check.");
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `migrate --check [--wait s]`: what a deployment's apps wait on (an init container) before they start. */
async function checkMigrations(databaseUrl: string, wait: string | undefined, command: Command) {
  const seconds = wait === undefined ? 0 : Number(wait);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError("--wait takes a number of seconds, e.g. 300.");
  const deadline = Date.now() + seconds * 1000;
  // While waiting, a database not reachable yet (starting with the deployment) is one more reason to wait;
  // the last look reports it.
  let pending = await pendingMigrations(databaseUrl, paths.migrations).catch(() => null);
  while ((pending === null || pending.length > 0) && Date.now() < deadline) {
    await sleep(2_000);
    pending = await pendingMigrations(databaseUrl, paths.migrations).catch(() => null);
  }
  if (pending === null) pending = await pendingMigrations(databaseUrl, paths.migrations);
  if (pending.length > 0)
    throw new Error(`${pending.length} migration(s) not applied yet: ${pending.join(", ")}. Run \`aiaas migrate\`.`);
  printResult("Every migration is applied.", { pending }, command.optsWithGlobals<OutputOptions>());
}
