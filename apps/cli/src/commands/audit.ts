import type { Command } from "commander";
import { accountAuditChains, findTenantOrThrow, PLATFORM_CHAIN, verifyAuditChain } from "@aiaas/core/server";
import type { CliContext } from "../context.ts";
import { printResult, type OutputOptions } from "../output.ts";

export function registerAuditCommands(program: Command, context: () => CliContext) {
  const audit = program.command("audit").description("check the audit log");

  audit
    .command("verify")
    .description("walk a tenant's hash chain (or the platform's, or the accounts') and name the first broken event")
    .option("--tenant <tenant>", "tenant slug or id")
    .option("--platform", "the chain of operator and system events outside tenants")
    .option("--accounts", "the chains of people's sign-ins, failed sign-ins and password changes")
    .action(async (options: { tenant?: string; platform?: boolean; accounts?: boolean }, command: Command) => {
      const { db } = context();
      const tenant = options.tenant ? await findTenantOrThrow(options.tenant, db) : null;
      const chains = tenant ? [tenant.id] : options.accounts ? accountAuditChains() : [PLATFORM_CHAIN];
      const label = tenant ? `tenant ${tenant.slug}` : options.accounts ? "the accounts" : "the platform";
      const reports = [];
      for (const chain of chains) reports.push({ chain, ...(await verifyAuditChain(chain, db)) });
      const events = reports.reduce((sum, report) => sum + report.events, 0);
      const failed = reports.find((report) => report.broken);
      const broken = failed?.broken;
      const message = broken
        ? `Audit chain ${chains.length > 1 ? `${failed.chain} ` : ""}of ${label} is BROKEN at event #${broken.seq} (${broken.id}, ${broken.action}, ${broken.occurredAt.toISOString()}): it was altered, or an event before it was removed. ${failed.events} events before it verify.`
        : `Audit chain${chains.length > 1 ? "s" : ""} of ${label} ${chains.length > 1 ? "are" : "is"} intact: ${events} events verified.`;
      printResult(
        message,
        chains.length > 1 ? { chains: reports } : reports[0],
        command.optsWithGlobals<OutputOptions>(),
      );
      if (broken) process.exitCode = 1;
    });
}
