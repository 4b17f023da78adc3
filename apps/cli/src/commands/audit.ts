import type { Command } from "commander";
import {
  accountAuditChains,
  auditSigningKeys,
  CheckpointDirectory,
  PLATFORM_CHAIN,
  verifyAuditChain,
  verifyCheckpoints,
  type CheckpointReport,
} from "@aiaas/core/audit";
import { findTenantOrThrow } from "@aiaas/core/tenants";
import type { CliContext } from "../context.ts";
import { printResult, type OutputOptions } from "../output.ts";

/** What the checkpoints say of these chains, in words; null when none can be read (no key). */
async function checkpointFindings(ctx: CliContext, chains: string[]) {
  const { AUDIT_SIGNING_KEY: key, AUDIT_CHECKPOINT_DIR: dir } = ctx.env;
  if (!key) return null;
  const { checkpoints, unreadable } = await new CheckpointDirectory(dir).readAll();
  const report = await verifyCheckpoints(ctx.db, checkpoints, auditSigningKeys(key).publicKey, chains);
  return { ...report, unreadable, dir };
}

function checkpointSentence(report: CheckpointReport & { unreadable: number; dir: string }): string {
  const flaws = report.unsigned + report.unreadable;
  const suspect =
    flaws > 0 ? ` ${flaws} checkpoint line(s) are unreadable or not signed by this key and vouch for nothing.` : "";
  const found = report.disagreement;
  if (!found) {
    return report.checkpoints === 0
      ? `No checkpoint in ${report.dir} vouches for these chains yet.${suspect}`
      : `${report.checkpoints} signed checkpoints agree.${suspect}`;
  }
  const since = found.lastVouched
    ? ` Event #${found.lastVouched.seq} still agrees with the checkpoint of ${found.lastVouched.checkpointAt}: the change lies after it.`
    : "";
  const what =
    found.kind === "missing"
      ? `event #${found.seq} of chain ${found.chain}, signed at ${found.checkpointAt}, is gone: the log was cut off from there`
      : `event #${found.seq} of chain ${found.chain} is not the one signed at ${found.checkpointAt}: the log was rewritten at or before it`;
  return `CHECKPOINTS DISAGREE: ${what}.${since}${suspect}`;
}

export function registerAuditCommands(program: Command, context: () => CliContext) {
  const audit = program.command("audit").description("check the audit log");

  audit
    .command("verify")
    .description(
      "walk a tenant's hash chain (or the platform's, or the accounts'), check it against the signed checkpoints, and name the first event that disagrees",
    )
    .option("--tenant <tenant>", "tenant slug or id")
    .option("--platform", "the chain of operator and system events outside tenants")
    .option("--accounts", "the chains of people's sign-ins, failed sign-ins and password changes")
    .action(async (options: { tenant?: string; platform?: boolean; accounts?: boolean }, command: Command) => {
      const ctx = context();
      const { db } = ctx;
      const tenant = options.tenant ? await findTenantOrThrow(options.tenant, db) : null;
      const chains = tenant ? [tenant.id] : options.accounts ? accountAuditChains() : [PLATFORM_CHAIN];
      const label = tenant ? `tenant ${tenant.slug}` : options.accounts ? "the accounts" : "the platform";
      const reports = [];
      for (const chain of chains) reports.push({ chain, ...(await verifyAuditChain(chain, db)) });
      const events = reports.reduce((sum, report) => sum + report.events, 0);
      const failed = reports.find((report) => report.broken);
      const broken = failed?.broken;
      const checkpoints = await checkpointFindings(ctx, chains);
      const chainMessage = broken
        ? `Audit chain ${chains.length > 1 ? `${failed.chain} ` : ""}of ${label} is BROKEN at event #${broken.seq} (${broken.id}, ${broken.action}, ${broken.occurredAt.toISOString()}): it was altered, or an event before it was removed. ${failed.events} events before it verify.`
        : `Audit chain${chains.length > 1 ? "s" : ""} of ${label} ${chains.length > 1 ? "are" : "is"} intact: ${events} events verified.`;
      const checkpointMessage = checkpoints
        ? checkpointSentence(checkpoints)
        : "AUDIT_SIGNING_KEY is not set: the chain was not checked against signed checkpoints, so a rewrite with recomputed hashes, or a cut-off tail, would pass.";
      printResult(
        `${chainMessage}\n${checkpointMessage}`,
        { ...(chains.length > 1 ? { chains: reports } : reports[0]), checkpoints },
        command.optsWithGlobals<OutputOptions>(),
      );
      if (broken || checkpoints?.disagreement) process.exitCode = 1;
    });
}
