import type { Command } from "commander";
import { createTenant, deleteTenant, listTenants, setModelAccess, setTenantStatus } from "@aiaas/core/tenants";
import type { CliContext } from "../context.ts";
import { UsageError } from "../cli-error.ts";
import { printResult, printRows, type OutputOptions } from "../output.ts";

export function registerTenantCommands(program: Command, context: () => CliContext) {
  const tenants = program
    .command("tenants")
    .description("list, create, suspend, resume and delete tenants; grant restricted models");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  tenants
    .command("list")
    .description("list every tenant with its plan, members and active keys")
    .action(async (_options, command: Command) => {
      printRows((await listTenants(context().db)).tenants, output(command), "No tenants yet.");
    });

  tenants
    .command("create")
    .description("create a tenant (on the default plan unless --plan is given)")
    .requiredOption("--name <name>", "display name")
    .option("--slug <slug>", "URL handle; derived from the name when omitted")
    .option("--plan <plan>", "plan slug, e.g. free, pro, enterprise")
    .action(async (options: { name: string; slug?: string; plan?: string }, command: Command) => {
      const ctx = context();
      const tenant = await ctx.db.$transaction((tx) => createTenant(options, ctx.change, tx));
      printResult(`Created tenant ${tenant.slug} (${tenant.id}).`, tenant, output(command));
    });

  for (const [name, status] of [
    ["suspend", "suspended"],
    ["resume", "active"],
  ] as const) {
    tenants
      .command(`${name} <tenant>`)
      .description(`${name} a tenant, by slug or id`)
      .option("--reason <text>", "why (recorded in the audit log)")
      .action(async (tenant: string, options: { reason?: string }, command: Command) => {
        const ctx = context();
        ctx.requireRedis();
        const updated = await ctx.db.$transaction((tx) =>
          setTenantStatus({ tenant, status, reason: options.reason }, ctx.change, tx),
        );
        await ctx.invalidate({ tenantId: updated.id });
        printResult(`Tenant ${updated.slug} is now ${updated.status}.`, updated, output(command));
      });
  }

  for (const [name, enabled] of [
    ["grant-model", true],
    ["revoke-model", false],
  ] as const) {
    tenants
      .command(`${name} <tenant> <model>`)
      .description(`${enabled ? "let" : "stop"} a tenant ${enabled ? "use" : "using"} a restricted model (e.g. echo)`)
      .action(async (tenant: string, model: string, _options: unknown, command: Command) => {
        const ctx = context();
        const result = await ctx.db.$transaction((tx) => setModelAccess({ tenant, model, enabled }, ctx.change, tx));
        const state = `${result.enabled ? "may" : "may not"} use ${result.model}`;
        printResult(
          result.changed
            ? `Tenant ${result.tenant} ${state} (gateways see it within 10 s).`
            : `Tenant ${result.tenant} already ${state}; nothing changed.`,
          result,
          output(command),
        );
      });
  }

  tenants
    .command("delete <tenant>")
    .description("delete a tenant and everything it owns, destroying its data keys first (crypto-shredding)")
    .option("--yes", "confirm: this cannot be undone")
    .option("--reason <text>", "why (recorded in the audit log)")
    .action(async (tenant: string, options: { yes?: boolean; reason?: string }, command: Command) => {
      if (!options.yes) {
        throw new UsageError(
          `refusing to delete tenant "${tenant}" without --yes: its data keys are destroyed (stored prompts become unreadable for good) and its keys, members, usage and invoices are deleted`,
        );
      }
      const ctx = context();
      ctx.requireRedis();
      const deleted = await ctx.db.$transaction((tx) =>
        deleteTenant({ tenant, reason: options.reason }, ctx.change, tx),
      );
      await ctx.invalidate({ tenantId: deleted.id });
      const keys = `${deleted.dataKeysDestroyed} data key${deleted.dataKeysDestroyed === 1 ? "" : "s"}`;
      printResult(`Deleted tenant ${deleted.slug} (${deleted.id}); destroyed ${keys}.`, deleted, output(command));
    });
}
