import type { Command } from "commander";
import { findTenantOrThrow, PLATFORM_CHAIN, verifyAuditChain } from "@aiaas/core/server";
import type { CliContext } from "../context.ts";
import { printResult, type OutputOptions } from "../output.ts";

export function registerAuditCommands(program: Command, context: () => CliContext) {
  const audit = program.command("audit").description("check the audit log");

  audit
    .command("verify")
    .description("walk a tenant's hash chain (or the platform's) and name the first broken event")
    .option("--tenant <tenant>", "tenant slug or id")
    .option("--platform", "the chain of operator and system events outside tenants")
    .action(async (options: { tenant?: string; platform?: boolean }, command: Command) => {
      const { db } = context();
      const tenant = options.tenant ? await findTenantOrThrow(options.tenant, db) : null;
      const chain = tenant?.id ?? PLATFORM_CHAIN;
      const label = tenant ? `tenant ${tenant.slug}` : "the platform";
      const report = await verifyAuditChain(chain, db);
      const { broken } = report;
      const message = broken
        ? `Audit chain of ${label} is BROKEN at event #${broken.seq} (${broken.id}, ${broken.action}, ${broken.occurredAt.toISOString()}): it was altered, or an event before it was removed. ${report.events} events before it verify.`
        : `Audit chain of ${label} is intact: ${report.events} events verified.`;
      printResult(message, { chain, ...report }, command.optsWithGlobals<OutputOptions>());
      if (broken) process.exitCode = 1;
    });
}
