import { Command } from "commander";
import { registerAuditCommands } from "./commands/audit.ts";
import { registerBatchCommands } from "./commands/batches.ts";
import { registerKeyCommands } from "./commands/keys.ts";
import { registerMigrateCommand } from "./commands/migrate.ts";
import { registerModelCommands } from "./commands/models.ts";
import { registerPlanCommands } from "./commands/plans.ts";
import { registerPriceCommands } from "./commands/prices.ts";
import { registerQuotaCommands } from "./commands/quotas.ts";
import { registerSeedCommand } from "./commands/seed.ts";
import { registerTenantCommands } from "./commands/tenants.ts";
import { registerWorkerCommands } from "./commands/workers.ts";
import type { CliContext } from "./context.ts";

/** The operator CLI's commands; `context` is created on first use so --help needs no env. */
export function buildProgram(context: () => CliContext): Command {
  const program = new Command("aiaas")
    .description("Operator CLI of the aiaas platform")
    .option("--json", "print machine-readable JSON")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "aiaas: ")) });
  for (const register of [
    registerMigrateCommand,
    registerSeedCommand,
    registerTenantCommands,
    registerKeyCommands,
    registerQuotaCommands,
    registerPriceCommands,
    registerPlanCommands,
    registerAuditCommands,
    registerModelCommands,
    registerBatchCommands,
    registerWorkerCommands,
  ]) {
    register(program, context);
  }
  return program;
}
